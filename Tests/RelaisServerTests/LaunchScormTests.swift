import Foundation
@testable import RelaisLaunch
@testable import RelaisServer
import RelaisCore
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

struct LaunchScormTests {
    func verbs(_ statements: [JSONValue]) -> [String] {
        statements.compactMap { $0["verb"]?["id"]?.stringValue?.split(separator: "/").last.map(String.init) }
    }

    @Test func scorm12CMIDataPersistsPerRegistrationAndBecomesStatements() throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install(LaunchCorpus.scorm12, into: t)
        #expect(entry.manifest.entry == "shared/launchpage.html")  // the SCO of imsmanifest.xml
        let service = LaunchService(box: t.box)
        let learner = try t.box.guestLearner(firstName: "Tom")
        let first = try service.launch(bundle: entry, learner: learner, origins: testOrigins)
        #expect(first.redirect.contains("/_relais/lecteur.html?mode=scorm12&"))
        #expect(first.redirect.contains("contenu=%2Fb%2Fcom.scorm.golfsamples.runtime.basicruntime.12%2F"))
        let model = try service.scormModel(launchID: first.launch.id)
        #expect(model["cmi.core.entry"] == "ab-initio")
        #expect(model["cmi.core.lesson_status"] == "not attempted")
        #expect(model["cmi.core.student_id"] == (try t.box.pseudonymizer().accountName(forLocalUser: learner.localUserID)))
        #expect(model["cmi.core.student_name"] == "Tom")

        try service.commitScorm(launchID: first.launch.id, event: "initialize", cmi: model.merging(["cmi.core.lesson_status": "incomplete"]) { $1 })
        try service.commitScorm(launchID: first.launch.id, event: "commit", cmi: ["cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "3", "cmi.suspend_data": "p=3"])
        // A read-only element sent back is ignored.
        try service.commitScorm(
            launchID: first.launch.id, event: "finish",
            cmi: ["cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "3", "cmi.suspend_data": "p=3", "cmi.core.exit": "suspend",
                  "cmi.core.session_time": "0000:02:05.50", "cmi.core.student_name": "Pirate"])
        #expect(verbs(try storedStatements(t.box)) == ["launched", "initialized", "suspended", "terminated"])
        let terminated = try #require(try storedStatements(t.box).last)
        #expect(terminated["result"]?["duration"] == "PT2M5.50S")

        // Relaunch: same registration, resumed with the location and suspend_data.
        let second = try service.launch(bundle: entry, learner: learner, origins: testOrigins)
        #expect(second.launch.registration == first.launch.registration)
        let resumed = try service.scormModel(launchID: second.launch.id)
        #expect(resumed["cmi.core.entry"] == "resume")
        #expect(resumed["cmi.core.lesson_location"] == "3")
        #expect(resumed["cmi.suspend_data"] == "p=3")
        #expect(resumed["cmi.core.student_name"] == "Tom")
        #expect(resumed["cmi.core.total_time"] == "0000:02:05.50")
        #expect(resumed["cmi.core.exit"] == nil)
        // The superseded launch may not overwrite the new session.
        #expect(throws: LaunchServiceError.self) { try service.commitScorm(launchID: first.launch.id, event: "commit", cmi: [:]) }

        try service.commitScorm(launchID: second.launch.id, event: "initialize", cmi: resumed)
        try service.commitScorm(
            launchID: second.launch.id, event: "finish",
            cmi: ["cmi.core.lesson_status": "passed", "cmi.core.score.raw": "80", "cmi.core.score.min": "0", "cmi.core.score.max": "100",
                  "cmi.core.exit": "", "cmi.core.session_time": "0000:00:10"])
        let all = try storedStatements(t.box, registration: first.launch.registration)
        #expect(verbs(all) == ["launched", "initialized", "suspended", "terminated", "launched", "resumed", "passed", "terminated"])
        let passed = try #require(all.first { $0["verb"]?["id"] == "http://adlnet.gov/expapi/verbs/passed" })
        #expect(passed["result"]?["score"]?["raw"]?.doubleValue == 80)
        #expect(passed["result"]?["score"]?["scaled"]?.doubleValue == 0.8)
        #expect(passed["result"]?["success"] == true)
        #expect(passed["context"]?["registration"]?.stringValue == first.launch.registration)
        #expect(!all.contains { String(decoding: $0.serialized(), as: UTF8.self).contains("Tom") })

        // Finished normally: the next launch is a new attempt.
        let third = try service.launch(bundle: entry, learner: learner, origins: testOrigins)
        #expect(third.launch.registration != first.launch.registration)
        #expect(try service.scormModel(launchID: third.launch.id)["cmi.core.entry"] == "ab-initio")
    }

    @Test func scorm2004CompletionAndSuccessAreSeparateStatementsWithTheScaledScore() throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install(LaunchCorpus.scorm2004, into: t)
        let service = LaunchService(box: t.box)
        let launch = try service.launch(bundle: entry, learner: try t.box.guestLearner(firstName: "Inès"), origins: testOrigins)
        let model = try service.scormModel(launchID: launch.launch.id)
        #expect(model["cmi.entry"] == "ab-initio")
        #expect(model["cmi.completion_status"] == "unknown")
        #expect(model["cmi.success_status"] == "unknown")
        try service.commitScorm(launchID: launch.launch.id, event: "initialize", cmi: ["cmi.completion_status": "incomplete"])
        try service.commitScorm(
            launchID: launch.launch.id, event: "commit",
            cmi: ["cmi.completion_status": "completed", "cmi.success_status": "failed", "cmi.score.scaled": "0.4", "cmi.score.raw": "40",
                  "cmi.score.min": "0", "cmi.score.max": "100", "cmi.location": "15"])
        try service.commitScorm(launchID: launch.launch.id, event: "finish", cmi: ["cmi.exit": "normal", "cmi.session_time": "PT1M30S"])
        let statements = try storedStatements(t.box)
        #expect(verbs(statements) == ["launched", "initialized", "completed", "failed", "terminated"])
        let failed = try #require(statements.first { $0["verb"]?["id"] == "http://adlnet.gov/expapi/verbs/failed" })
        #expect(failed["result"]?["score"]?["scaled"]?.doubleValue == 0.4)
        #expect(failed["result"]?["success"] == false)
        #expect(statements.last?["result"]?["duration"] == "PT1M30S")
    }

    @Test func durationsConvert() {
        #expect(LaunchDuration.iso(seconds: 3725.5) == "PT1H2M5.50S")
        #expect(LaunchDuration.iso(seconds: 0) == "PT0S")
        #expect(LaunchDuration.seconds(scorm12: "0001:02:05.5") == 3725.5)
        #expect(LaunchDuration.seconds(iso: "PT1H2M5.5S") == 3725.5)
        #expect(LaunchDuration.seconds(iso: "P1Y") == nil)
        #expect(LaunchDuration.scorm12(seconds: 3725.5) == "0001:02:05.50")
    }
}
