import Foundation
import RelaisCore
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

@Suite struct TrainingStoreTests {
    let authority: JSONValue = ["account": ["homePage": "https://relais.invalid/0750654D", "name": "relais"]]

    /// A launch of `bundle` by `learner`, as the launch service records it; returns its registration.
    func launch(_ t: TestBox, _ learner: Learner, _ bundle: String, at seconds: Int64 = 1_780_000_000) throws -> String {
        let registration = UUID().uuidString.lowercased()
        try t.box.recordLaunch(LaunchRecord(
            registration: registration, bundleId: bundle, version: "1.0.0", learnerId: learner.id, createdAt: seconds, standard: "scorm12"))
        return registration
    }

    func statement(_ t: TestBox, _ learner: Learner, verb: String, registration: String, result: JSONValue? = nil, id: String? = nil) throws -> JSONValue {
        var members: [String: JSONValue] = [
            "actor": try t.box.pseudonymizer().account(forLocalUser: learner.localUserID),
            "verb": ["id": .string(verb)],
            "object": ["id": "https://relais.invalid/activities/module", "objectType": "Activity"],
            "context": ["registration": .string(registration)],
        ]
        if let result { members["result"] = result }
        if let id { members["id"] = .string(id) }
        return .object(members)
    }

    func store(_ t: TestBox, _ statements: [JSONValue], at ms: Int64) throws {
        try t.box.storeStatements(statements, authority: authority, credential: nil, now: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    @Test func completedPassedSatisfiedOrResultCompletionCountAsDoneWithTheFirstDate() throws {
        let t = try TestBox()
        let person = try t.box.addStaff(lastName: "Diallo", firstName: "Awa", role: .enseignant)
        let me = try t.box.staffLearner(personId: person.id)
        let prise = try launch(t, me, "prise-en-main")
        let ecrire = try launch(t, me, "ecrire")
        let rgpd = try launch(t, me, "rgpd")
        let quiz = try launch(t, me, "quiz")
        let started = try launch(t, me, "commence")
        try store(t, [try statement(t, me, verb: "http://adlnet.gov/expapi/verbs/completed", registration: prise)], at: 1_780_000_500_000)
        try store(t, [try statement(t, me, verb: "http://adlnet.gov/expapi/verbs/completed", registration: prise)], at: 1_780_000_900_000)
        try store(t, [try statement(t, me, verb: "http://adlnet.gov/expapi/verbs/passed", registration: ecrire)], at: 1_780_001_000_000)
        try store(t, [try statement(t, me, verb: "https://w3id.org/xapi/adl/verbs/satisfied", registration: rgpd)], at: 1_780_002_000_000)
        try store(t, [try statement(t, me, verb: "http://adlnet.gov/expapi/verbs/experienced", registration: quiz, result: ["completion": true])], at: 1_780_003_000_000)
        // Started, failed, not completed: not done.
        try store(t, [
            try statement(t, me, verb: "http://adlnet.gov/expapi/verbs/failed", registration: started, result: ["completion": false]),
            try statement(t, me, verb: "http://adlnet.gov/expapi/verbs/initialized", registration: started),
        ], at: 1_780_004_000_000)
        let done = try t.box.trainingCompletions(learnerId: me.id)
        #expect(done == [
            "prise-en-main": Date(timeIntervalSince1970: 1_780_000_500), "ecrire": Date(timeIntervalSince1970: 1_780_001_000),
            "rgpd": Date(timeIntervalSince1970: 1_780_002_000), "quiz": Date(timeIntervalSince1970: 1_780_003_000),
        ])
        let progress = try t.box.trainingProgress(learnerId: me.id)
        #expect(progress["commence"]?.state == .started)
        #expect(progress["prise-en-main"]?.state == .completed)
        #expect(progress["jamais"] == nil)
    }

    @Test func anotherLearnersCompletionAndVoidedStatementsDoNotCount() throws {
        let t = try TestBox()
        let awa = try t.box.staffLearner(personId: try t.box.addStaff(lastName: "Diallo", firstName: "Awa", role: .enseignant).id)
        let marc = try t.box.staffLearner(personId: try t.box.addStaff(lastName: "Robert", firstName: "Marc", role: .enseignant).id)
        let awasLaunch = try launch(t, awa, "prise-en-main")
        let marcsLaunch = try launch(t, marc, "prise-en-main")
        try store(t, [try statement(t, marc, verb: "http://adlnet.gov/expapi/verbs/completed", registration: marcsLaunch)], at: 1_780_000_000_000)
        let id = UUID().uuidString.lowercased()
        try store(t, [try statement(t, awa, verb: "http://adlnet.gov/expapi/verbs/completed", registration: awasLaunch, id: id)], at: 1_780_000_100_000)
        #expect(try t.box.trainingCompletions(learnerId: awa.id).keys.sorted() == ["prise-en-main"])
        let voiding: JSONValue = [
            "actor": try t.box.pseudonymizer().account(forLocalUser: awa.localUserID),
            "verb": ["id": "http://adlnet.gov/expapi/verbs/voided"],
            "object": ["objectType": "StatementRef", "id": .string(id)],
        ]
        try store(t, [voiding], at: 1_780_000_200_000)
        #expect(try t.box.trainingCompletions(learnerId: awa.id).isEmpty, "a voided completion is no completion")
        #expect(try t.box.trainingCompletions(learnerId: marc.id).keys.sorted() == ["prise-en-main"])
        #expect(try t.box.existingStaffLearner(personId: "personne") == nil)
    }
}
