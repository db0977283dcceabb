import Foundation
import RelaisArchive
import RelaisCore
import Testing

/// The structure of the corpus's multi-SCO golf packages, from their imsmanifest.xml, and as
/// `BundleInspector` (`relais bundle inspect --json`) reads it back from the packed bundle.
@Suite struct StructureCorpusTests {
    func manifest(_ name: String) throws -> ScormManifest {
        let source = Corpus.path(name)
        try #require(FileManager.default.fileExists(atPath: source), "corpus not found at \(Corpus.root); set RELAIS_CORPUS")
        let bytes = try #require(try readEverything(source).first { $0.0.path.value == "imsmanifest.xml" }?.1)
        return try ScormManifest(parsing: bytes)
    }

    @Test func oneFilePerSCOListsEveryItemDepthFirstWithItsParameters() throws {
        let structure = BundleStructure.scorm(try manifest("scorm/ContentPackagingOneFilePerSCO_SCORM20043rdEdition.zip"))
        #expect(structure.entries.count == 19)
        #expect(structure.entries.map(\.id).prefix(7) == [
            "playing_playing_item", "playing_par_item", "playing_scoring_item", "playing_otherscoring_item", "playing_rules_item",
            "playing_quiz_item", "etiquette_course_item",
        ])
        let first = structure.entries[0]
        #expect(first.title == "How to Play" && first.launch == "Playing/Playing.html" && first.scormType == "asset")
        #expect(first.groups.map(\.title) == ["Playing the Game"] && first.depth == 1)
        // `parameters="?questions=Playing"` joined to the resource's href.
        let quiz = try #require(structure.entry("playing_quiz_item"))
        #expect(quiz.launch == "shared/assessmenttemplate.html?questions=Playing")
        #expect(structure.entries.last?.id == "havingfun_quiz_item")
        #expect(structure.entries.last?.launch == "shared/assessmenttemplate.html?questions=HavingFun")
        // No sequencing in the manifest: choice (the default) and flow (the box's default).
        #expect(structure.choice && structure.flow)
    }

    @Test func forcedSequentialKeepsTheQueryOfItsHrefsAndReadsTheObjectives() throws {
        let structure = BundleStructure.scorm(try manifest("scorm/SequencingForcedSequential_SCORM20043rdEdition.zip"))
        #expect(structure.entries.map(\.id) == ["playing_item", "etuqiette_item", "handicapping_item", "havingfun_item", "assessment_item"])
        #expect(structure.entries.map(\.launch) == [
            "shared/launchpage.html?content=playing", "shared/launchpage.html?content=etiquette", "shared/launchpage.html?content=handicapping",
            "shared/launchpage.html?content=havingfun", "shared/launchpage.html?content=assessment",
        ])
        #expect(structure.entries.allSatisfy { $0.scormType == "sco" && $0.groups.isEmpty })
        #expect(structure.entries[0].objectiveIds == ["playing_satisfied"])
        #expect(structure.entries[1].objectiveIds == ["etiquette_satisfied", "previous_sco_satisfied"])
        #expect(structure.entries[4].objectiveIds == ["assessment_satisfied", "previous_sco_satisfied"])
        #expect(structure.flow && structure.choice)
    }

    @Test func theInspectorListsTheStructureOfAPackedBundle() throws {
        let sandbox = try Sandbox()
        let output = sandbox.path("golf.relais")
        _ = try BundlePacker.pack(
            source: Corpus.path("scorm/SequencingForcedSequential_SCORM20043rdEdition.zip"), output: output,
            overrides: ManifestOverrides(publisher: "Rustici Software"))
        let inspection = try BundleInspector.inspect(path: output)
        #expect(inspection.verified && inspection.structureProblem == nil)
        #expect(inspection.structure.count == 5)
        #expect(inspection.structure.first == BundleStructureEntry(id: "playing_item", title: "Playing the Game", launch: "shared/launchpage.html?content=playing")
            .with { $0.scormType = "sco"; $0.objectiveIds = ["playing_satisfied"] })
        // The bundle's entry is the first SCO's file, without its query.
        #expect(inspection.manifest.entry == "shared/launchpage.html")
    }

    @Test func anHTML5BundleIsOneEntry() throws {
        let sandbox = try Sandbox()
        let source = sandbox.path("src")
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        let manifest = BundleManifest(
            id: "fr.exemple.calcul", version: "1.0.0", kind: .solution, title: .init(fr: "Calcul"), description: .init(fr: ""),
            publisher: "Exemple", standard: .html5, entry: "index.html")
        try manifest.encoded().write(to: URL(fileURLWithPath: source + "/bundle.json"))
        try Data("<p>hi</p>".utf8).write(to: URL(fileURLWithPath: source + "/index.html"))
        _ = try BundlePacker.pack(source: source, output: sandbox.path("b.relais"))
        let inspection = try BundleInspector.inspect(path: sandbox.path("b.relais"))
        #expect(inspection.structure == [BundleStructureEntry(id: "fr.exemple.calcul", title: "Calcul", launch: "index.html")])
    }
}

extension BundleStructureEntry {
    /// A copy changed by `change` (the optional fields are `var`s).
    func with(_ change: (inout BundleStructureEntry) -> Void) -> BundleStructureEntry {
        var copy = self
        change(&copy)
        return copy
    }
}
