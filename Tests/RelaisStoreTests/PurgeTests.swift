import Crypto
import Foundation
import GRDB
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

/// Retention (`privacy.retentionDays`) and removal of pupils and classes.
struct PurgeTests {
    let now = Date(timeIntervalSince1970: 1_788_251_400)  // 2026-09-01
    var old: Date { now.addingTimeInterval(-400 * 86_400) }
    var recent: Date { now.addingTimeInterval(-10 * 86_400) }
    let authority: JSONValue = ["objectType": "Agent", "account": ["homePage": "https://relais.invalid/0750654D", "name": "box"]]

    /// Everything the box keeps about one learner, written at `date`: a launch, a SCORM attempt,
    /// cmi5 progress, a state document, an agent profile and a statement (with an attachment).
    func use(_ box: Box, learnerId: String, at date: Date, tag: String) throws -> (statementId: String, registration: String) {
        let actor = try box.pseudonymizer().account(forLocalUser: learnerId)
        let registration = StatementID.random()
        try box.recordLaunch(LaunchRecord(
            registration: registration, bundleId: "fr.test", version: "1.0.0", learnerId: learnerId, createdAt: Int64(date.timeIntervalSince1970), standard: "scorm12"))
        try box.database.write { db in
            try ScormAttemptRecord(registration: registration, learnerId: learnerId, bundleId: "fr.test", version: "1.0.0", standard: "scorm12",
                cmi: ["cmi.core.lesson_status": "completed"], updatedAt: Int64(date.timeIntervalSince1970)).insert(db)
        }
        _ = try box.markCmi5Satisfied(registration: registration, activityId: "course", now: Int64(date.timeIntervalSince1970))
        try box.putState(activityId: "https://relais.example/a/\(tag)", agent: actor, registration: registration, stateId: "suspend",
            body: Array("{}".utf8), contentType: "application/json", merge: false, now: date)
        try box.putAgentProfile(agent: actor, profileId: "prefs-\(tag)", body: Array("{}".utf8), contentType: "application/json", merge: false, now: date)
        let content = Array("copie de \(tag)".utf8)
        let sha2 = Hex.encode(Array(SHA256.hash(data: content)))
        let id = StatementID.random()
        let statement: JSONValue = [
            "id": .string(id), "actor": actor, "verb": ["id": "http://adlnet.gov/expapi/verbs/answered"],
            "object": ["id": .string("https://relais.example/a/\(tag)")], "context": ["registration": .string(registration)],
            "attachments": [["usageType": "https://relais.example/copie", "display": ["fr": "copie"], "contentType": "text/plain",
                             "length": .integer(Int64(content.count)), "sha2": .string(sha2)]],
        ]
        try box.storeStatements([statement], authority: authority, credential: nil,
            attachments: [StatementAttachment(sha2: sha2, contentType: "text/plain", content: content)], now: date)
        return (id, registration)
    }

    func count(_ box: Box, _ table: String) throws -> Int {
        try box.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    /// Acknowledges every statement of the outbox, as a successful push does.
    func pushEverything(_ box: Box) throws {
        try box.acknowledgeOutbox(try box.outboxBatch(after: 0, limit: 1000).map(\.seq), at: 0)
    }

    @Test func purgeDeletesPupilsOldDataButNotRecentNorGuestsNorWhatWaitsInTheOutbox() throws {
        let t = try TestBox()
        let box = t.box
        let schoolClass = try box.addClass(name: "CM2 B")
        let pupil = try box.addPupil(classId: schoolClass.id, firstName: "Léa", lastInitial: "M")
        let guest = try box.guestLearner(firstName: "Invité")
        let oldUse = try use(box, learnerId: pupil.id, at: old, tag: "old")
        let waiting = try use(box, learnerId: pupil.id, at: old.addingTimeInterval(60), tag: "waiting")
        _ = try use(box, learnerId: guest.id, at: old, tag: "guest")
        // Everything but the "waiting" statement was pushed upstream.
        let seqs = try box.outboxBatch(after: 0, limit: 100)
        try box.acknowledgeOutbox(seqs.filter { $0.id != waiting.statementId }.map(\.seq), at: 0)
        let recentUse = try use(box, learnerId: pupil.id, at: recent, tag: "recent")
        try pushEverything(box)  // acknowledges "recent" (and "waiting": acknowledge it again below)
        try box.database.write { db in
            try db.execute(sql: "INSERT INTO outbox (seq) SELECT seq FROM statement WHERE id = ?", arguments: [waiting.statementId])
        }

        let report = try box.purge(now: now)
        #expect(report.statements == 1 && report.keptInOutbox == 1)
        #expect(report.launches == 2 && report.scormAttempts == 2 && report.cmi5Satisfactions == 2)
        #expect(report.stateDocuments == 2 && report.agentProfiles == 2)
        #expect(report.attachments == 1)
        #expect(try box.statement(id: oldUse.statementId, voided: false) == nil)
        #expect(try box.statement(id: waiting.statementId, voided: false) != nil)
        #expect(try box.statement(id: recentUse.statementId, voided: false) != nil)
        #expect(try box.launches(registration: oldUse.registration).isEmpty)
        #expect(try box.launches(registration: recentUse.registration).count == 1)
        #expect(try box.scormAttempt(registration: recentUse.registration) != nil)
        // The guest's data and the pupil themselves stay.
        #expect(try count(box, "launch") == 2)  // the guest's and the recent one
        #expect(try box.pupils(inClass: schoolClass.id).count == 1)
        #expect(try count(box, "statementRelation WHERE seq NOT IN (SELECT seq FROM statement)") == 0)

        // Once pushed, the next purge takes the waiting statement too; a purge that finds nothing is a no-op.
        try pushEverything(box)
        #expect(try box.purge(now: now).statements == 1)
        #expect(try box.purge(now: now) == PurgeReport())
        #expect(try count(box, "statement") == 2)  // the guest's and the recent one
    }

    @Test func retentionIsASetting() throws {
        let t = try TestBox()
        let schoolClass = try t.box.addClass(name: "CM1")
        let pupil = try t.box.addPupil(classId: schoolClass.id, firstName: "Noé", lastInitial: "B")
        _ = try use(t.box, learnerId: pupil.id, at: recent, tag: "r")
        try pushEverything(t.box)
        #expect(try t.box.purge(now: now).statements == 0)
        try t.box.setSetting("privacy.retentionDays", to: "7")
        #expect(try t.box.purge(now: now).statements == 1)
        #expect(throws: StoreError.self) { try t.box.setSetting("privacy.retentionDays", to: "0") }
    }

    @Test func removingAPupilRemovesAllTheirDataEvenUnpushed() throws {
        let t = try TestBox()
        let box = t.box
        let schoolClass = try box.addClass(name: "CM2 B")
        let lea = try box.addPupil(classId: schoolClass.id, firstName: "Léa", lastInitial: "M")
        let noe = try box.addPupil(classId: schoolClass.id, firstName: "Noé", lastInitial: "B")
        _ = try use(box, learnerId: lea.id, at: recent, tag: "lea")
        let kept = try use(box, learnerId: noe.id, at: recent, tag: "noe")
        let report = try box.removePupil(id: lea.id, now: now)
        #expect(report.pupils == 1 && report.statements == 1 && report.launches == 1 && report.keptInOutbox == 0)
        #expect(try box.pupil(id: lea.id) == nil)
        #expect(try box.learner(id: UUID(uuidString: lea.id)!) == nil)
        #expect(try box.statement(id: kept.statementId, voided: false) != nil)
        #expect(try count(box, "outbox") == 1)
        let entry = try #require(box.auditLog(limit: 1).first)
        #expect(entry.action == "pupil.remove" && entry.pupilId == lea.id && entry.classId == schoolClass.id)
    }

    @Test func removingAClassCascadesToItsPupilsTeachersAndTheirData() throws {
        let t = try TestBox()
        let box = t.box
        let teacher = try box.addStaff(lastName: "Diallo", firstName: "Ada", role: .enseignant)
        let cm2 = try box.addClass(name: "CM2 B")
        let cm1 = try box.addClass(name: "CM1 A")
        try box.assignTeacher(classId: cm2.id, personId: teacher.id)
        let file = frenchClassFile(className: "CM2 B")
        _ = try box.applyPupilImport(file).get()
        let other = try box.addPupil(classId: cm1.id, firstName: "Léa", lastInitial: "Z")
        for pupil in try box.pupils(inClass: cm2.id).prefix(3) { _ = try use(box, learnerId: pupil.id, at: recent, tag: pupil.id) }
        _ = try use(box, learnerId: other.id, at: recent, tag: "other")
        let report = try box.removeClass(id: cm2.id, by: teacher.id, now: now)
        #expect(report.pupils == 25 && report.statements == 3 && report.launches == 3)
        #expect(try box.classes().map(\.name) == ["CM1 A"])
        #expect(try box.classes(ofTeacher: teacher.id).isEmpty)
        #expect(try count(box, "pupil") == 1 && count(box, "learner") == 1 && count(box, "statement") == 1)
        #expect(try box.auditLog(limit: 1).first?.action == "class.remove")
        // The database refuses to leave a launch without its learner.
        do {
            try box.database.write { db in try db.execute(sql: "DELETE FROM learner WHERE id = ?", arguments: [other.id]) }
            Issue.record("deleted a learner who has launches")
        } catch {
            #expect("\(error)".contains("FOREIGN KEY"))
        }
    }

    @Test func theAuditLogKeepsWhoViewedWhichPupil() throws {
        let t = try TestBox()
        let teacher = try t.box.addStaff(lastName: "Diallo", firstName: "Ada", role: .enseignant)
        try t.box.audit(personId: teacher.id, action: "pupil.results.view", pupilId: "p1", classId: "c1", now: now)
        try t.box.audit(personId: teacher.id, action: "pupil.results.view", pupilId: "p2", now: now.addingTimeInterval(1))
        let log = try t.box.auditLog(limit: 10)
        #expect(log.map(\.pupilId) == ["p2", "p1"])
        #expect(log[1].at == Int64(now.timeIntervalSince1970) && log[1].personId == teacher.id && log[1].classId == "c1")
    }
}

extension PurgeTests {
    @Test func purgeRunsDailyAndIsAudited() throws {
        let t = try TestBox()
        #expect(try t.box.purgeIfDue(now: now) != nil)
        #expect(try t.box.purgeIfDue(now: now.addingTimeInterval(23 * 3600)) == nil)
        #expect(try t.box.purgeIfDue(now: now.addingTimeInterval(24 * 3600)) != nil)
        #expect(try t.box.auditLog(limit: 10).filter { $0.action == "privacy.purge" }.count == 2)
    }
}
