import Foundation
import Logging
import RelaisArchive
@testable import RelaisLaunch
@testable import RelaisServer
import RelaisCore
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

/// Multi-SCO SCORM packages and multi-AU cmi5 courses: the structure of a stored bundle, launching
/// a chosen SCO/AU, one SCORM attempt per SCO and the package's completion rollup, the manifest's
/// objectives and thresholds, `answered` statements, cmi5 `satisfied` for blocks and the course.
struct LaunchStructureTests {
    static let forcedSequential = "scorm/SequencingForcedSequential_SCORM20043rdEdition.zip"
    static let course = "https://relais.invalid/bundles/com.scorm.golfsamples.sequencing.forcedsequential.20043rd"

    /// A folder with bundle.json and `files`, packed and imported (`import --local`).
    static func installFolder(_ manifest: BundleManifest, files: [String: String], into t: TestBox) throws -> CatalogEntry {
        let source = t.folder.appendingPathComponent("src-\(UUID().uuidString)")
        for (path, text) in files {
            let url = source.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try manifest.encoded().write(to: source.appendingPathComponent("bundle.json"))
        let output = t.folder.appendingPathComponent(UUID().uuidString + ".relais").path
        _ = try BundlePacker.pack(source: source.path, output: output)
        try t.importBundle(output)
        return try #require(try t.box.catalog().first { $0.manifest.id == manifest.id })
    }

    func verbs(_ statements: [JSONValue]) -> [String] {
        statements.compactMap { $0["verb"]?["id"]?.stringValue?.split(separator: "/").last.map(String.init) }
    }

    /// The `contenu` the player frames, decoded.
    func framed(_ redirect: String) throws -> String {
        let query = try #require(URLComponents(string: redirect)?.queryItems)
        return try #require(query.first { $0.name == "contenu" }?.value)
    }

    @Test func aChosenSCOIsLaunchedWithItsQueryStringAndItsOwnAttempt() throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install(Self.forcedSequential, into: t)
        let service = LaunchService(box: t.box)
        let structure = try service.structure(of: entry)
        #expect(structure.map(\.id) == ["playing_item", "etuqiette_item", "handicapping_item", "havingfun_item", "assessment_item"])
        let learner = try t.box.guestLearner(firstName: "Tom")

        // Default: the first SCO, its href's query kept (it used to be percent-encoded into the path).
        let first = try service.launch(bundle: entry, learner: learner, origins: testOrigins)
        #expect(first.launch.itemId == "playing_item")
        #expect(try framed(first.redirect) == "/b/com.scorm.golfsamples.sequencing.forcedsequential.20043rd/1.0.0/shared/launchpage.html?content=playing")
        #expect(first.redirect.contains("plan=1"))
        #expect(try t.box.launchRecord(id: first.launch.id)?.itemId == "playing_item")

        // Another SCO: its own attempt (registration), its own objectives.
        let second = try service.launch(bundle: entry, learner: learner, origins: testOrigins, item: "etuqiette_item")
        #expect(second.launch.itemId == "etuqiette_item" && second.launch.registration != first.launch.registration)
        #expect(try framed(second.redirect).hasSuffix("/shared/launchpage.html?content=etiquette"))
        let model = try service.scormModel(launchID: second.launch.id)
        #expect(model["cmi.entry"] == "ab-initio")
        #expect(model["cmi.objectives.0.id"] == "etiquette_satisfied" && model["cmi.objectives.1.id"] == "previous_sco_satisfied")
        #expect(model["cmi.objectives.0.success_status"] == "unknown" && model["cmi.objectives.2.id"] == nil)

        // Suspending the second SCO, then opening the first again, then the second: each SCO resumes its own attempt.
        try service.commitScorm(launchID: second.launch.id, event: "initialize", cmi: model)
        try service.commitScorm(launchID: second.launch.id, event: "finish", cmi: ["cmi.location": "2", "cmi.exit": "suspend", "cmi.completion_status": "incomplete"])
        let again = try service.launch(bundle: entry, learner: learner, origins: testOrigins, item: "playing_item")
        #expect(again.launch.registration == first.launch.registration)
        let resumed = try service.launch(bundle: entry, learner: learner, origins: testOrigins, item: "etuqiette_item")
        #expect(resumed.launch.registration == second.launch.registration)
        let resumedModel = try service.scormModel(launchID: resumed.launch.id)
        #expect(resumedModel["cmi.entry"] == "resume" && resumedModel["cmi.location"] == "2")
        // The objectives are not added twice on resume.
        #expect(resumedModel["cmi.objectives.2.id"] == nil)

        // The SCO's statements name the SCO, within the course.
        let statements = try storedStatements(t.box, registration: second.launch.registration)
        let initialized = try #require(statements.first { $0["verb"]?["id"] == "http://adlnet.gov/expapi/verbs/initialized" })
        #expect(initialized["object"]?["id"]?.stringValue == Self.course + "/sco/etuqiette_item")
        #expect(initialized["context"]?["contextActivities"]?["parent"]?.arrayValue?.first?["id"]?.stringValue == Self.course)

        // An id the package does not have: refused, nothing recorded.
        let before = try storedStatements(t.box).count
        #expect(throws: LaunchServiceError.unusable("« nope » is not a SCO or AU of com.scorm.golfsamples.sequencing.forcedsequential.20043rd 1.0.0; `relais bundle inspect --json` lists its structure")) {
            _ = try service.launch(bundle: entry, learner: learner, origins: testOrigins, item: "nope")
        }
        #expect(try storedStatements(t.box).count == before)
        #expect(try t.box.latestLaunch(learnerId: learner.localUserID, bundleId: entry.manifest.id)?.id == resumed.launch.id)

        // The player's plan.
        let plan = try service.plan(launchID: resumed.launch.id)
        #expect(plan["item"] == "etuqiette_item" && plan["flow"] == true && plan["choice"] == true)
        #expect(plan["entries"]?.arrayValue?.count == 5)
    }

    @Test func thePackageIsCompletedOnceWhenEverySCOIs() throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install(Self.forcedSequential, into: t)
        let service = LaunchService(box: t.box)
        let learner = try t.box.guestLearner(firstName: "Inès")
        func courseCompletions() throws -> [JSONValue] {
            try storedStatements(t.box).filter {
                $0["verb"]?["id"] == "http://adlnet.gov/expapi/verbs/completed" && $0["object"]?["id"]?.stringValue == Self.course
            }
        }
        let ids = try service.structure(of: entry).map(\.id)
        for (index, id) in ids.enumerated() {
            let launch = try service.launch(bundle: entry, learner: learner, origins: testOrigins, item: id)
            let model = try service.scormModel(launchID: launch.launch.id)
            try service.commitScorm(launchID: launch.launch.id, event: "initialize", cmi: model)
            try service.commitScorm(launchID: launch.launch.id, event: "finish", cmi: ["cmi.completion_status": "completed", "cmi.exit": ""])
            // Not before the last SCO.
            #expect(try courseCompletions().count == (index == ids.count - 1 ? 1 : 0), "after \(id)")
        }
        // Each SCO's own completed names the SCO.
        let scoCompleted = try storedStatements(t.box).filter {
            $0["verb"]?["id"] == "http://adlnet.gov/expapi/verbs/completed" && $0["object"]?["id"]?.stringValue != Self.course
        }
        #expect(Set(scoCompleted.compactMap { $0["object"]?["id"]?.stringValue }) == Set(ids.map { Self.course + "/sco/" + $0 }))
        // Completing a SCO again does not complete the package again.
        let again = try service.launch(bundle: entry, learner: learner, origins: testOrigins, item: ids[0])
        try service.commitScorm(launchID: again.launch.id, event: "initialize", cmi: try service.scormModel(launchID: again.launch.id))
        try service.commitScorm(launchID: again.launch.id, event: "finish", cmi: ["cmi.completion_status": "completed"])
        #expect(try courseCompletions().count == 1)
        // Another learner has their own rollup.
        let other = try t.box.guestLearner(firstName: "Hugo")
        let launch = try service.launch(bundle: entry, learner: other, origins: testOrigins, item: ids[0])
        try service.commitScorm(launchID: launch.launch.id, event: "finish", cmi: ["cmi.completion_status": "completed"])
        #expect(try courseCompletions().count == 1)
    }

    static let thresholdManifest = """
        <manifest identifier="fr.exemple.fractions" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
                  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
          <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
          <organizations default="org"><organization identifier="org"><title>Fractions</title>
            <item identifier="intro" identifierref="r-play" parameters="?content=playing"><title>Introduction</title>
              <adlcp:completionThreshold>0.75</adlcp:completionThreshold></item>
            <item identifier="quiz" identifierref="r-quiz"><title>Quiz</title>
              <adlcp:dataFromLMS>niveau=2</adlcp:dataFromLMS>
              <imsss:sequencing><imsss:objectives>
                <imsss:primaryObjective objectiveID="obj-quiz" satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective>
              </imsss:objectives></imsss:sequencing></item>
          </organization></organizations>
          <resources>
            <resource identifier="r-play" type="webcontent" adlcp:scormType="sco" href="shared/launch page.html"/>
            <resource identifier="r-quiz" type="webcontent" adlcp:scormType="sco" href="quiz/index.html"/>
          </resources>
        </manifest>
        """

    func thresholdBundle(_ t: TestBox) throws -> CatalogEntry {
        let manifest = BundleManifest(
            id: "fr.exemple.fractions", version: "1.0.0", kind: .solution, title: .init(fr: "Fractions"), description: .init(fr: ""),
            publisher: "Exemple", standard: .scorm2004, entry: "shared/launch page.html")
        return try Self.installFolder(
            manifest, files: ["imsmanifest.xml": Self.thresholdManifest, "shared/launch page.html": "<p>intro</p>", "quiz/index.html": "<p>quiz</p>"], into: t)
    }

    @Test func completionThresholdAndMinNormalizedMeasureDecideCompletionAndSuccess() throws {
        let t = try TestBox()
        let entry = try thresholdBundle(t)
        let service = LaunchService(box: t.box)
        let learner = try t.box.guestLearner(firstName: "Léa")

        let intro = try service.launch(bundle: entry, learner: learner, origins: testOrigins)
        #expect(try framed(intro.redirect) == "/b/fr.exemple.fractions/1.0.0/shared/launch%20page.html?content=playing")
        let model = try service.scormModel(launchID: intro.launch.id)
        #expect(model["cmi.completion_threshold"] == "0.75")
        try service.commitScorm(launchID: intro.launch.id, event: "initialize", cmi: model)
        // The SCO says completed, but its progress is under the threshold: incomplete.
        try service.commitScorm(launchID: intro.launch.id, event: "commit", cmi: ["cmi.completion_status": "completed", "cmi.progress_measure": "0.5"])
        #expect(try t.box.scormAttempt(registration: intro.launch.registration)?.elements["cmi.completion_status"] == "incomplete")
        #expect(!verbs(try storedStatements(t.box, registration: intro.launch.registration)).contains("completed"))
        try service.commitScorm(launchID: intro.launch.id, event: "commit", cmi: ["cmi.completion_status": "incomplete", "cmi.progress_measure": "0.8"])
        #expect(verbs(try storedStatements(t.box, registration: intro.launch.registration)).contains("completed"))

        let quiz = try service.launch(bundle: entry, learner: learner, origins: testOrigins, item: "quiz")
        let quizModel = try service.scormModel(launchID: quiz.launch.id)
        #expect(quizModel["cmi.scaled_passing_score"] == "0.6" && quizModel["cmi.launch_data"] == "niveau=2")
        #expect(quizModel["cmi.objectives.0.id"] == "obj-quiz")
        try service.commitScorm(launchID: quiz.launch.id, event: "initialize", cmi: quizModel)
        // The SCO reports failed, but its scaled score reaches the passing score: passed.
        try service.commitScorm(launchID: quiz.launch.id, event: "finish", cmi: ["cmi.success_status": "failed", "cmi.score.scaled": "0.7", "cmi.completion_status": "completed"])
        let quizVerbs = verbs(try storedStatements(t.box, registration: quiz.launch.registration))
        #expect(quizVerbs.contains("passed") && !quizVerbs.contains("failed"))
        // Both SCOs completed: the package too.
        #expect(try storedStatements(t.box).contains {
            $0["verb"]?["id"] == "http://adlnet.gov/expapi/verbs/completed" && $0["object"]?["id"] == "https://relais.invalid/bundles/fr.exemple.fractions"
        })
    }

    @Test func withoutAnItemTheBundlesEntryChoosesTheSCO() throws {
        let t = try TestBox()
        let manifest = BundleManifest(
            id: "fr.exemple.fractions", version: "1.0.0", kind: .solution, title: .init(fr: "Fractions"), description: .init(fr: ""),
            publisher: "Exemple", standard: .scorm2004, entry: "quiz/index.html")
        let entry = try Self.installFolder(
            manifest, files: ["imsmanifest.xml": Self.thresholdManifest, "shared/launch page.html": "<p>intro</p>", "quiz/index.html": "<p>quiz</p>"], into: t)
        let launch = try LaunchService(box: t.box).launch(bundle: entry, learner: try t.box.guestLearner(firstName: "Léa"), origins: testOrigins)
        #expect(launch.launch.itemId == "quiz")
        #expect(try framed(launch.redirect) == "/b/fr.exemple.fractions/1.0.0/quiz/index.html")
    }

    @Test func interactionsBecomeAnsweredStatementsOncePerRecord() throws {
        let t = try TestBox()
        let entry = try thresholdBundle(t)
        let service = LaunchService(box: t.box)
        let quiz = try service.launch(bundle: entry, learner: try t.box.guestLearner(firstName: "Léa"), origins: testOrigins, item: "quiz")
        let model = try service.scormModel(launchID: quiz.launch.id)
        try service.commitScorm(launchID: quiz.launch.id, event: "initialize", cmi: model)
        var cmi: [String: String] = [
            "cmi.interactions.0.id": "q1", "cmi.interactions.0.type": "choice", "cmi.interactions.0.learner_response": "b",
            "cmi.interactions.0.result": "incorrect", "cmi.interactions.0.correct_responses.0.pattern": "a[,]c",
            "cmi.interactions.0.description": "Quelle fraction est la plus grande ?",
            // No response nor result yet: not answered.
            "cmi.interactions.1.id": "q2", "cmi.interactions.1.type": "numeric",
        ]
        try service.commitScorm(launchID: quiz.launch.id, event: "commit", cmi: cmi)
        try service.commitScorm(launchID: quiz.launch.id, event: "commit", cmi: cmi)
        cmi["cmi.interactions.1.learner_response"] = "0.5"
        cmi["cmi.interactions.1.result"] = "correct"
        try service.commitScorm(launchID: quiz.launch.id, event: "commit", cmi: cmi)
        let answered = try storedStatements(t.box, registration: quiz.launch.registration).filter { $0["verb"]?["id"] == "http://adlnet.gov/expapi/verbs/answered" }
        #expect(answered.count == 2)
        let first = try #require(answered.first)
        let sco = "https://relais.invalid/bundles/fr.exemple.fractions/sco/quiz"
        #expect(first["object"]?["id"]?.stringValue == sco + "/interactions/q1")
        #expect(first["object"]?["definition"]?["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction")
        #expect(first["object"]?["definition"]?["interactionType"] == "choice")
        #expect(first["object"]?["definition"]?["correctResponsesPattern"] == ["a[,]c"])
        #expect(first["result"]?["response"] == "b" && first["result"]?["success"] == false)
        #expect(first["context"]?["contextActivities"]?["parent"]?.arrayValue?.first?["id"]?.stringValue == sco)
        #expect(answered[1]["object"]?["id"]?.stringValue == sco + "/interactions/q2")
        #expect(answered[1]["result"]?["success"] == true && answered[1]["result"]?["response"] == "0.5")
    }

    @Test func scorm12InteractionsAndMasteryScore() throws {
        let t = try TestBox()
        let manifest = BundleManifest(
            id: "fr.exemple.golf12", version: "1.0.0", kind: .solution, title: .init(fr: "Golf"), description: .init(fr: ""),
            publisher: "Exemple", standard: .scorm12, entry: "a.html")
        let xml = """
            <manifest identifier="golf12" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
              <metadata><schemaversion>1.2</schemaversion></metadata>
              <organizations default="o"><organization identifier="o"><title>Golf</title>
                <item identifier="a" identifierref="ra"><title>A</title><adlcp:masteryscore>80</adlcp:masteryscore></item>
              </organization></organizations>
              <resources><resource identifier="ra" type="webcontent" adlcp:scormtype="sco" href="a.html"/></resources>
            </manifest>
            """
        let entry = try Self.installFolder(manifest, files: ["imsmanifest.xml": xml, "a.html": "<p>a</p>"], into: t)
        let service = LaunchService(box: t.box)
        let launch = try service.launch(bundle: entry, learner: try t.box.guestLearner(firstName: "Tom"), origins: testOrigins)
        // A single SCO: no table of contents, the course is the object as before.
        #expect(!launch.redirect.contains("plan=1"))
        let model = try service.scormModel(launchID: launch.launch.id)
        #expect(model["cmi.student_data.mastery_score"] == "80")
        try service.commitScorm(launchID: launch.launch.id, event: "initialize", cmi: model)
        try service.commitScorm(
            launchID: launch.launch.id, event: "finish",
            cmi: ["cmi.core.lesson_status": "completed", "cmi.core.score.raw": "70", "cmi.interactions.0.id": "q1", "cmi.interactions.0.type": "choice",
                  "cmi.interactions.0.student_response": "a,b", "cmi.interactions.0.result": "wrong", "cmi.interactions.0.correct_responses.0.pattern": "a,c"])
        let statements = try storedStatements(t.box, registration: launch.launch.registration)
        // completed with a raw score under the mastery score: failed.
        #expect(verbs(statements).contains("failed") && !verbs(statements).contains("passed"))
        let answered = try #require(statements.first { $0["verb"]?["id"] == "http://adlnet.gov/expapi/verbs/answered" })
        #expect(answered["object"]?["id"]?.stringValue == "https://relais.invalid/bundles/fr.exemple.golf12/interactions/q1")
        #expect(answered["object"]?["definition"]?["correctResponsesPattern"] == ["a[,]c"])
        #expect(answered["result"]?["response"] == "a[,]b" && answered["result"]?["success"] == false)
    }

    static let cmi5Course = """
        <courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
          <course id="https://exemple.fr/cours/fractions"><title><langstring lang="fr-FR">Fractions</langstring></title>
            <description><langstring lang="fr-FR">Un cours</langstring></description></course>
          <block id="https://exemple.fr/cours/fractions/bloc-1">
            <title><langstring lang="fr-FR">Bloc 1</langstring></title><description><langstring lang="fr-FR">-</langstring></description>
            <au id="https://exemple.fr/cours/fractions/au-1" moveOn="Completed">
              <title><langstring lang="fr-FR">Partager</langstring></title><description><langstring lang="fr-FR">-</langstring></description>
              <url>au1.html</url></au>
            <au id="https://exemple.fr/cours/fractions/au-2" moveOn="Passed" masteryScore="0.8">
              <title><langstring lang="fr-FR">Comparer</langstring></title><description><langstring lang="fr-FR">-</langstring></description>
              <url>au2.html?niveau=2</url></au>
          </block>
          <block id="https://exemple.fr/cours/fractions/bloc-2">
            <title><langstring lang="fr-FR">Bloc 2</langstring></title><description><langstring lang="fr-FR">-</langstring></description>
            <au id="https://exemple.fr/cours/fractions/au-3" moveOn="CompletedOrPassed">
              <title><langstring lang="fr-FR">Additionner</langstring></title><description><langstring lang="fr-FR">-</langstring></description>
              <url>au3.html</url></au>
          </block>
        </courseStructure>
        """

    static func cmi5Bundle(_ t: TestBox) throws -> CatalogEntry {
        let manifest = BundleManifest(
            id: "fr.exemple.cours-fractions", version: "1.0.0", kind: .solution, title: .init(fr: "Fractions"), description: .init(fr: ""),
            publisher: "Exemple", standard: .cmi5, entry: "au1.html", xapi: .init(activityId: "https://exemple.fr/cours/fractions"))
        return try installFolder(
            manifest, files: ["cmi5.xml": cmi5Course, "au1.html": "<p>1</p>", "au2.html": "<p>2</p>", "au3.html": "<p>3</p>"], into: t)
    }

    @Test func cmi5AUsShareOneRegistrationAndBlocksThenTheCourseAreSatisfied() throws {
        let t = try TestBox()
        let entry = try Self.cmi5Bundle(t)
        let service = LaunchService(box: t.box)
        let launcher = Cmi5Launcher(service: service)
        let learner = try t.box.guestLearner(firstName: "Léa")
        #expect(try service.structure(of: entry).map(\.title) == ["Partager", "Comparer", "Additionner"])

        let first = try service.launch(bundle: entry, learner: learner, origins: testOrigins)
        #expect(first.launch.itemId == "https://exemple.fr/cours/fractions/au-1")
        // Several AUs: the player frames the AU, with the course's table of contents.
        #expect(first.redirect.hasPrefix("http://relais.local:20000/_relais/lecteur.html?mode=cmi5&") && first.redirect.contains("plan=1"))
        #expect(try framed(first.redirect).hasPrefix("/b/fr.exemple.cours-fractions/1.0.0/au1.html?endpoint="))
        let second = try service.launch(bundle: entry, learner: learner, origins: testOrigins, item: "https://exemple.fr/cours/fractions/au-2")
        #expect(second.launch.registration == first.launch.registration)
        #expect(second.launch.activityId == "https://exemple.fr/cours/fractions/au-2")
        // The AU's own query string comes first, then the cmi5 launch parameters.
        #expect(try framed(second.redirect).hasPrefix("/b/fr.exemple.cours-fractions/1.0.0/au2.html?niveau=2&endpoint="))
        let registration = first.launch.registration

        func store(_ verb: String, _ au: String) throws {
            let statement: JSONValue = [
                "actor": try service.actor(of: learner), "verb": ["id": .string("http://adlnet.gov/expapi/verbs/" + verb)],
                "object": ["id": .string("https://exemple.fr/cours/fractions/" + au)], "context": ["registration": .string(registration)],
            ]
            try t.box.storeStatements([statement], authority: try t.box.authority(for: nil), credential: nil)
        }
        try store("completed", "au-1")
        #expect(try launcher.evaluateMoveOn(registration: registration).isEmpty)  // au-2 needs passed
        try store("passed", "au-2")
        #expect(try launcher.evaluateMoveOn(registration: registration) == ["https://exemple.fr/cours/fractions/bloc-1"])
        try store("passed", "au-3")
        #expect(try launcher.evaluateMoveOn(registration: registration) == ["https://exemple.fr/cours/fractions/bloc-2", "https://exemple.fr/cours/fractions"])
        #expect(try launcher.evaluateMoveOn(registration: registration).isEmpty)
        let satisfied = try storedStatements(t.box, registration: registration).filter { $0["verb"]?["id"] == "https://w3id.org/xapi/adl/verbs/satisfied" }
        #expect(satisfied.map { $0["object"]?["id"]?.stringValue } == [
            "https://exemple.fr/cours/fractions/bloc-1", "https://exemple.fr/cours/fractions/bloc-2", "https://exemple.fr/cours/fractions",
        ])
        #expect(satisfied[0]["object"]?["definition"]?["type"] == "https://w3id.org/xapi/cmi5/activitytype/block")
        #expect(satisfied[2]["object"]?["definition"]?["type"] == "https://w3id.org/xapi/cmi5/activitytype/course")
    }

    @Test func thePlayerOpensAnotherElementThroughTheLaunchItCameFrom() throws {
        let t = try TestBox()
        let entry = try Self.cmi5Bundle(t)
        let service = LaunchService(box: t.box)
        let learner = try t.box.guestLearner(firstName: "Léa")
        let first = try service.launch(bundle: entry, learner: learner, origins: testOrigins)
        let next = try service.launchItem(from: first.launch.id, item: "https://exemple.fr/cours/fractions/au-3", origins: testOrigins)
        #expect(next.launch.learnerId == learner.localUserID && next.launch.registration == first.launch.registration)
        #expect(next.launch.itemId == "https://exemple.fr/cours/fractions/au-3")
        #expect(try t.box.launchRecord(id: next.launch.id)?.frameUrl == next.redirect)
        #expect(throws: LaunchServiceError.unknownLaunch) { _ = try service.launchItem(from: "nope", item: "x", origins: testOrigins) }
        let plan = try service.plan(launchID: next.launch.id)
        #expect(plan["item"] == "https://exemple.fr/cours/fractions/au-3")
        #expect(plan["entries"]?.arrayValue?[2]["groups"] == ["Bloc 2"])
    }
}
