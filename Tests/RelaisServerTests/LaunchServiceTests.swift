import Foundation
@testable import RelaisLaunch
@testable import RelaisServer
import Logging
import RelaisCore
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

struct LaunchServiceTests {
    @Test func everyLaunchHasARowARegistrationAndALaunchedStatementWithThePseudonymNeverTheFirstName() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "x"]))
        let entry = try #require(try t.box.catalog().first)
        let learner = try t.box.guestLearner(firstName: "  Léa  ")
        #expect(learner.firstName == "Léa")
        #expect(try t.box.guestLearner(firstName: "lea").id == learner.id)  // same first name, same guest
        // What the form suggests to two pupils with one first name: an initial keeps them apart.
        #expect(try t.box.guestLearner(firstName: "Léa B.").id != learner.id)
        let outcome = try LaunchService(box: t.box).launch(bundle: entry, learner: learner, origins: testOrigins)
        #expect(outcome.launch.bundleId == "fr.relais.test.calcul")
        #expect(outcome.launch.learnerId == learner.localUserID)
        #expect(XAPIFormat.isUUID(outcome.launch.registration))
        var recorded = outcome.launch
        recorded.frameUrl = outcome.redirect  // the page the portal frames is kept with the launch
        #expect(try t.box.launchRecord(id: outcome.launch.id) == recorded)
        #expect(outcome.redirect.hasPrefix("http://relais.local:20000/_relais/lecteur.html?mode=html5&api=http%3A%2F%2Frelais.local%3A8080%2Flancement%2F"))
        let statements = try storedStatements(t.box)
        #expect(statements.count == 1)
        let launched = try #require(statements.first)
        #expect(launched["verb"]?["id"] == "http://adlnet.gov/expapi/verbs/launched")
        #expect(launched["object"]?["id"] == "https://relais.invalid/bundles/fr.relais.test.calcul")
        #expect(launched["context"]?["registration"]?.stringValue == outcome.launch.registration)
        #expect(launched["actor"] == (try t.box.pseudonymizer().account(forLocalUser: learner.localUserID)))
        #expect(!String(decoding: launched.serialized(), as: UTF8.self).contains("Léa"))
        #expect(launched["timestamp"]?.stringValue != nil && launched["id"]?.stringValue != nil)
    }

    @Test func theWrapperEndWritesOneExperiencedStatementWithTheDuration() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.video", files: ["index.html": "x"]))
        let entry = try #require(try t.box.catalog().first)
        let service = LaunchService(box: t.box)
        let outcome = try service.launch(bundle: entry, learner: try t.box.guestLearner(firstName: "Tom"), origins: testOrigins)
        try service.end(launchID: outcome.launch.id, seconds: 3.5)
        try service.end(launchID: outcome.launch.id, seconds: 9)  // a second beacon is ignored
        let experienced = try storedStatements(t.box).filter { $0["verb"]?["id"] == "http://adlnet.gov/expapi/verbs/experienced" }
        #expect(experienced.count == 1)
        #expect(experienced.first?["result"]?["duration"] == "PT3.50S")
        #expect(throws: LaunchServiceError.unknownLaunch) { try service.end(launchID: "nope", seconds: 1) }
    }

    @Test func cmi5LaunchURLCarriesTheSpecParametersAndTheLaunchDataIsStored() throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install(LaunchCorpus.cmi5, into: t)
        let learner = try t.box.guestLearner(firstName: "Léa")
        let outcome = try LaunchService(box: t.box).launch(bundle: entry, learner: learner, origins: testOrigins)
        let url = try #require(URLComponents(string: outcome.redirect))
        #expect(outcome.redirect.hasPrefix("http://relais.local:20000/b/\(entry.manifest.id)/\(entry.manifest.version)/index.html?"))
        let query = Dictionary(uniqueKeysWithValues: (url.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        let auID = "https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-single-au-basic-responsive/1"
        #expect(query["endpoint"] == "http://relais.local:8080/xapi/")
        #expect(query["fetch"] == "http://relais.local:8080/cmi5/fetch/\(outcome.launch.id)")
        #expect(query["registration"] == outcome.launch.registration)
        #expect(query["activityId"] == auID)
        let actor = try JSONValue(parsing: try #require(query["actor"]))
        let pseudonym = try t.box.pseudonymizer().account(forLocalUser: learner.localUserID)
        #expect(actor == pseudonym)
        // LMS.LaunchData
        let document = try #require(try t.box.state(activityId: auID, agent: pseudonym, registration: outcome.launch.registration, stateId: "LMS.LaunchData"))
        let launchData = try JSONValue(parsing: document.body)
        #expect(launchData["launchMode"] == "Normal")
        #expect(launchData["moveOn"] == "CompletedOrPassed")
        // The AU's way out stays on its own origin, inside the portal's frame.
        #expect(launchData["returnURL"] == "http://relais.local:20000/_relais/fin.html")
        #expect(launchData["launchMethod"] == "AnyWindow")
        #expect(launchData["contextTemplate"]?["extensions"]?["https://w3id.org/xapi/cmi5/context/extensions/sessionid"]?.stringValue == outcome.launch.id)
        // The LMS's launched statement, cmi5-flavoured.
        let launched = try #require(try storedStatements(t.box).first)
        #expect(launched["object"]?["id"]?.stringValue == auID)
        #expect(launched["context"]?["contextActivities"]?["category"] == [["id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"]])
        #expect(launched["context"]?["extensions"]?["https://w3id.org/xapi/cmi5/context/extensions/launchmode"] == "Normal")
        // A relaunch keeps the registration (the learner's enrolment in the course).
        let again = try LaunchService(box: t.box).launch(bundle: entry, learner: learner, origins: testOrigins)
        #expect(again.launch.registration == outcome.launch.registration)
        #expect(again.launch.id != outcome.launch.id)
    }

    @Test func theFetchURLWorksOnceAndItsTokenIsACredentialScopedToTheLaunch() throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install(LaunchCorpus.cmi5, into: t)
        let service = LaunchService(box: t.box)
        let learner = try t.box.guestLearner(firstName: "Léa")
        let outcome = try service.launch(bundle: entry, learner: learner, origins: testOrigins)
        let launcher = Cmi5Launcher(service: service)
        let first = try launcher.fetch(launchID: outcome.launch.id)
        let token = try #require(first["auth-token"]?.stringValue)
        let decoded = String(decoding: try #require(Data(base64Encoded: token)), as: UTF8.self).split(separator: ":").map(String.init)
        #expect(decoded.count == 2)
        let scope = try #require(try t.box.authenticate(key: decoded[0], secret: decoded[1]))
        #expect(scope == .launch(key: decoded[0], actor: try service.actor(of: learner), registration: outcome.launch.registration))
        let second = try launcher.fetch(launchID: outcome.launch.id)
        #expect(second["auth-token"] == nil)
        #expect(second["error-code"] == "1")
        #expect(try launcher.fetch(launchID: "unknown")["error-code"] == "3")
    }

    @Test func theCourseIsSatisfiedOnceWhenTheAUsStatementsMeetMoveOn() throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install(LaunchCorpus.cmi5, into: t)
        let service = LaunchService(box: t.box)
        let learner = try t.box.guestLearner(firstName: "Léa")
        let outcome = try service.launch(bundle: entry, learner: learner, origins: testOrigins)
        let launcher = Cmi5Launcher(service: service)
        #expect(try launcher.evaluateMoveOn(registration: outcome.launch.registration).isEmpty)
        let auID = "https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-single-au-basic-responsive/1"
        let completed: JSONValue = [
            "actor": try service.actor(of: learner), "verb": ["id": "http://adlnet.gov/expapi/verbs/completed"],
            "object": ["id": .string(auID)], "context": ["registration": .string(outcome.launch.registration)],
        ]
        try t.box.storeStatements([completed], authority: try t.box.authority(for: nil), credential: nil)
        let course = "https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-single-au-basic-responsive"
        #expect(try launcher.evaluateMoveOn(registration: outcome.launch.registration) == [course])
        #expect(try launcher.evaluateMoveOn(registration: outcome.launch.registration).isEmpty)
        let satisfied = try storedStatements(t.box).filter { $0["verb"]?["id"] == "https://w3id.org/xapi/adl/verbs/satisfied" }
        #expect(satisfied.count == 1)
        #expect(satisfied.first?["object"]?["id"]?.stringValue == course)
        #expect(satisfied.first?["context"]?["registration"]?.stringValue == outcome.launch.registration)
    }

    @Test func theLRSObserverWritesSatisfiedWhenTheAUsCompletedStatementIsStored() throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install(LaunchCorpus.cmi5, into: t)
        let service = LaunchService(box: t.box)
        let learner = try t.box.guestLearner(firstName: "Léa")
        let outcome = try service.launch(bundle: entry, learner: learner, origins: testOrigins)
        let completed: JSONValue = [
            "actor": try service.actor(of: learner), "verb": ["id": "http://adlnet.gov/expapi/verbs/completed"],
            "object": ["id": "https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-single-au-basic-responsive/1"],
            "context": ["registration": .string(outcome.launch.registration)],
        ]
        try t.box.storeStatements([completed], authority: try t.box.authority(for: nil), credential: nil)
        // What the /xapi routes do after storing a batch.
        Cmi5MoveOn(box: t.box, logger: Logger(label: "test")).observer([completed])
        let satisfied = try storedStatements(t.box).filter { $0["verb"]?["id"] == "https://w3id.org/xapi/adl/verbs/satisfied" }
        #expect(satisfied.count == 1)
    }

    @Test func goingOverTheSeatsWarnsInStatusAndTheDecompteButNeverRefusesALaunch() throws {
        let t = try TestBox()
        try t.importFromRepository(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "x"]), id: "fr.relais.test.calcul")
        try t.storeLicence("""
            {"uai":"0750654D","abonnements":[{"idAbonnement":"A1","idRessource":"fr.relais.test.calcul","libelleRessource":"Calcul",
            "debutValidite":"2020-01-01T00:00:00Z","finValidite":"2099-12-31T23:59:59Z","typeAffectation":"INDIV",
            "nbLicenceEleve":1,"publicCible":["ELEVE"]}]}
            """)
        let entry = try #require(try t.box.catalog().first)
        let service = LaunchService(box: t.box)
        _ = try service.launch(bundle: entry, learner: try t.box.guestLearner(firstName: "Léa"), origins: testOrigins)
        #expect(try t.box.status().seatWarnings.isEmpty)
        // A second pupil: one seat, two users. The launch goes ahead; the admin is warned.
        _ = try service.launch(bundle: entry, learner: try t.box.guestLearner(firstName: "Hugo"), origins: testOrigins)
        let alerts = try t.box.status().seatWarnings
        #expect(alerts.count == 1)
        #expect(alerts.first?.idAbonnement == "A1" && alerts.first?.users == 2 && alerts.first?.seats == 1)
        #expect(try t.box.decompteCSV().contains("0750654D;A1;;fr.relais.test.calcul;2;0;0;0"))
    }
}
