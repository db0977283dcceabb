import Foundation
import RelaisArchive
import RelaisCore
import Testing

/// The four real packages of the shared corpus pack as they are, with id, title, standard and entry
/// derived from their own manifests, and inspect back verified.
@Suite struct PackCorpusTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var standard: BundleManifest.Standard
        var id: String
        var title: String
        var entry: String
        var testDescription: String { file }
    }

    static let packages = [
        Expected(
            file: "scorm/RuntimeBasicCalls_SCORM12.zip", standard: .scorm12,
            id: "com.scorm.golfsamples.runtime.basicruntime.12", title: "Golf Explained - Run-time Basic Calls",
            entry: "shared/launchpage.html"),
        Expected(
            file: "scorm/RuntimeBasicCalls_SCORM20043rdEdition.zip", standard: .scorm2004,
            id: "com.scorm.golfsamples.runtime.basicruntime.20043rd", title: "Golf Explained - Run-time Basic Calls",
            entry: "shared/launchpage.html"),
        Expected(
            file: "cmi5/single_au_basic_responsive.zip", standard: .cmi5,
            id: "org.w3id.xapi.cmi5.catapult.lts.course.geology-intro-single-au-basic-responsive",
            title: "Introduction to Geology - Responsive Style", entry: "index.html"),
        Expected(
            file: "cmi5/single_au_basic_framed.zip", standard: .cmi5,
            id: "org.w3id.xapi.cmi5.catapult.lts.course.geology-intro-single-au-basic",
            title: "Introduction to Geology - Framed Style", entry: "index.html"),
    ]

    @Test(arguments: packages)
    func packsARealPackage(_ expected: Expected) throws {
        let source = Corpus.path(expected.file)
        try #require(FileManager.default.fileExists(atPath: source), "corpus not found at \(Corpus.root); set RELAIS_CORPUS")
        let sandbox = try Sandbox()
        let output = sandbox.path("bundle.relais")
        // Kind and publisher are never guessed: without --publisher the package is refused, naming the option.
        #expect(throws: PackError.publisherMissing(file: expected.standard == .cmi5 ? "cmi5.xml" : "imsmanifest.xml")) {
            _ = try BundlePacker.pack(source: source, output: output)
        }
        #expect(!FileManager.default.fileExists(atPath: output))
        let report = try BundlePacker.pack(source: source, output: output, overrides: ManifestOverrides(publisher: "Rustici Software"))

        #expect(report.manifest.standard == expected.standard)
        #expect(report.manifest.id == expected.id)
        #expect(report.manifest.title.fr == expected.title)
        #expect(report.manifest.entry == expected.entry)
        #expect(report.manifest.kind == .solution)
        #expect(report.manifest.version == "1.0.0")
        #expect(report.manifest.publisher == "Rustici Software")
        #expect(report.skipped.isEmpty)

        let inspection = try BundleInspector.inspect(path: output)
        #expect(inspection.verified, "\(inspection.problems)")
        #expect(inspection.manifest == report.manifest)
        #expect(inspection.files.count == report.fileCount)
        #expect(inspection.contentBytes == report.contentBytes)
        #expect(inspection.archiveBytes == report.archiveBytes)
        // Every file of the package is in the bundle, under the same path.
        let sourceFiles = try readEverything(source).filter { $0.0.kind == .file }.map(\.0.path)
        #expect(Set(inspection.files.map(\.path)) == Set(sourceFiles))
    }

    @Test func setsTheCourseIRIAsTheXAPIActivityOfACmi5Bundle() throws {
        let sandbox = try Sandbox()
        let report = try BundlePacker.pack(
            source: Corpus.path("cmi5/single_au_basic_framed.zip"), output: sandbox.path("b.relais"), overrides: ManifestOverrides(publisher: "ADL"))
        #expect(report.manifest.xapi?.activityId == "https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-single-au-basic")
        #expect(report.manifest.description.fr.hasPrefix("This course will introduce you"))
    }

    @Test func packsTheSameZipToTheSameBytes() throws {
        let sandbox = try Sandbox()
        let source = Corpus.path("scorm/RuntimeBasicCalls_SCORM12.zip")
        _ = try BundlePacker.pack(source: source, output: sandbox.path("one.relais"), overrides: ManifestOverrides(publisher: "Rustici"))
        _ = try BundlePacker.pack(source: source, output: sandbox.path("two.relais"), overrides: ManifestOverrides(publisher: "Rustici"))
        let one = try Data(contentsOf: URL(fileURLWithPath: sandbox.path("one.relais")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: sandbox.path("two.relais"))) == one)
    }
}
