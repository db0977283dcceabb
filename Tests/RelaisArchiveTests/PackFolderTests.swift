import Foundation
import RelaisArchive
import RelaisCore
import Testing

/// `relais bundle pack` from a folder holding bundle.json.
@Suite struct PackFolderTests {
    static let manifest = """
        {"schema": 1, "id": "fr.relais.demo.calcul-mental", "version": "1.2.0", "kind": "solution",
         "title": {"fr": "Calcul mental"}, "description": {"fr": "Tables et additions"},
         "publisher": "Relais", "standard": "html5", "entry": "index.html",
         "levels": ["cycle2"], "subjects": ["mathematiques"]}
        """

    /// A source folder with bundle.json, a page, a stylesheet, an in-bundle symlink and macOS litter.
    func source(_ sandbox: Sandbox, manifest: String = PackFolderTests.manifest) throws -> String {
        try sandbox.write("src/bundle.json", manifest)
        try sandbox.write("src/index.html", "<title>Calcul</title><p>2 + 2</p>")
        try sandbox.write("src/css/site.css", "body { color: navy }")
        try sandbox.write("src/.DS_Store", "litter")
        try FileManager.default.createDirectory(atPath: sandbox.path("src/vide"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: sandbox.path("src/css/alias.css"), withDestinationPath: "site.css")
        return sandbox.path("src")
    }

    @Test func packsAFolderAndInspectsItBack() throws {
        let sandbox = try Sandbox()
        let report = try BundlePacker.pack(source: try source(sandbox), output: sandbox.path("calcul.relais"))
        #expect(report.manifest.id == "fr.relais.demo.calcul-mental")
        #expect(report.fileCount == 2)
        #expect(report.skipped == [".DS_Store"])

        let inspection = try BundleInspector.inspect(path: sandbox.path("calcul.relais"))
        #expect(inspection.verified)
        #expect(inspection.manifest == report.manifest)
        #expect(inspection.files.map(\.path.value) == ["css/site.css", "index.html"])
        #expect(inspection.files[0].hash == ContentHasher.hash(Array("body { color: navy }".utf8)))
        #expect(inspection.links == [try BundlePath("css/alias.css"): try BundlePath("css/site.css")])
        #expect(inspection.contentBytes == report.contentBytes)

        // bundle.json first, SHA256SUMS second, then the content sorted, folders included.
        let order = try readEverything(sandbox.path("calcul.relais")).map(\.0.path.value)
        #expect(order == ["bundle.json", "SHA256SUMS", "css", "css/alias.css", "css/site.css", "index.html", "vide"])
    }

    @Test func packsTheSameFolderToTheSameBytes() throws {
        let sandbox = try Sandbox()
        let folder = try source(sandbox)
        _ = try BundlePacker.pack(source: folder, output: sandbox.path("one.relais"))
        Thread.sleep(forTimeInterval: 1.1)
        try sandbox.write("src/index.html", "<title>Calcul</title><p>2 + 2</p>")  // same bytes, new mtime
        _ = try BundlePacker.pack(source: folder, output: sandbox.path("two.relais"))
        let one = try Data(contentsOf: URL(fileURLWithPath: sandbox.path("one.relais")))
        #expect(try Data(contentsOf: URL(fileURLWithPath: sandbox.path("two.relais"))) == one)
    }

    @Test func letsOverridesWinOverBundleJSON() throws {
        let sandbox = try Sandbox()
        let overrides = ManifestOverrides(
            id: "fr.editeur.calcul", version: "2.0.0", kind: .training, title: "Calcul rapide", description: "Nouveau",
            publisher: "Éditeur", standard: .html5, entry: "css/site.css", levels: [.cycle3], subjects: ["maths"])
        let report = try BundlePacker.pack(source: try source(sandbox), output: sandbox.path("b.relais"), overrides: overrides)
        let manifest = report.manifest
        #expect(manifest.id == "fr.editeur.calcul" && manifest.version == "2.0.0" && manifest.kind == .training)
        #expect(manifest.title.fr == "Calcul rapide" && manifest.description.fr == "Nouveau" && manifest.publisher == "Éditeur")
        #expect(manifest.entry == "css/site.css" && manifest.levels == [.cycle3] && manifest.subjects == ["maths"])
        #expect(try BundleInspector.inspect(path: sandbox.path("b.relais")).manifest == manifest)
    }

    /// bundle.json with one field broken, the field the refusal must name, and the exact refusal when fixed.
    struct BrokenField: Sendable, CustomTestStringConvertible {
        var replacing: String
        var with: String
        var field: String
        var expected: PackError?
        var testDescription: String { field + (with.isEmpty ? " missing" : " = " + with) }
    }

    static let brokenFields = [
        BrokenField(replacing: "\"id\": \"fr.relais.demo.calcul-mental\",", with: "", field: "id", expected: .manifest(.missing(field: "id"))),
        BrokenField(replacing: "\"id\": \"fr.relais.demo.calcul-mental\"", with: "\"id\": \"calcul mental\"", field: "id", expected: nil),
        BrokenField(
            replacing: "\"version\": \"1.2.0\"", with: "\"version\": \"v1\"", field: "version",
            expected: .manifest(.invalid(field: "version", "must be a semantic version such as 1.0.0, got « v1 »"))),
        BrokenField(replacing: "\"kind\": \"solution\"", with: "\"kind\": \"jeu\"", field: "kind", expected: nil),
        BrokenField(replacing: "\"title\": {\"fr\": \"Calcul mental\"}", with: "\"title\": {\"fr\": \" \"}", field: "title.fr", expected: nil),
        BrokenField(replacing: "\"standard\": \"html5\"", with: "\"standard\": \"flash\"", field: "standard", expected: nil),
        BrokenField(replacing: "\"entry\": \"index.html\"", with: "\"entry\": \"../index.html\"", field: "entry", expected: nil),
        BrokenField(
            replacing: "\"entry\": \"index.html\"", with: "\"entry\": \"accueil.html\"", field: "entry",
            expected: .entryMissing(entry: "accueil.html")),
    ]

    @Test(arguments: brokenFields)
    func refusesAnInvalidBundleJSONNamingTheField(_ broken: BrokenField) throws {
        let sandbox = try Sandbox()
        let text = Self.manifest.replacingOccurrences(of: broken.replacing, with: broken.with)
        #expect(text != Self.manifest)
        let folder = try source(sandbox, manifest: text)
        let before = sandbox.listing()
        var refusal: PackError?
        do { _ = try BundlePacker.pack(source: folder, output: sandbox.path("b.relais")) } catch let error as PackError {
            refusal = error
        }
        if let expected = broken.expected { #expect(refusal == expected) }
        #expect(refusal?.description.contains("`\(broken.field)`") == true, "\(String(describing: refusal))")
        #expect(sandbox.listing() == before, "a refused pack left a file")
    }

    @Test func refusesAFolderWithoutBundleJSON() throws {
        let sandbox = try Sandbox()
        try sandbox.write("src/index.html", "<p>")
        #expect(throws: PackError.noBundleJSON(folder: sandbox.path("src"))) {
            _ = try BundlePacker.pack(source: sandbox.path("src"), output: sandbox.path("b.relais"))
        }
    }

    @Test func refusesASymlinkLeavingTheFolder() throws {
        let sandbox = try Sandbox()
        let folder = try source(sandbox)
        try FileManager.default.createSymbolicLink(atPath: folder + "/css/passwd", withDestinationPath: "/etc/passwd")
        let before = sandbox.listing()
        #expect(throws: ArchiveError.linkEscapes(entry: "css/passwd", target: "/etc/passwd")) {
            _ = try BundlePacker.pack(source: folder, output: sandbox.path("b.relais"))
        }
        #expect(sandbox.listing() == before)
    }

    @Test func refusesAFIFOInTheFolder() throws {
        let sandbox = try Sandbox()
        let folder = try source(sandbox)
        #expect(mkfifo(folder + "/pipe", 0o644) == 0)
        #expect(throws: ArchiveError.specialFile(entry: "pipe", type: "FIFO")) {
            _ = try BundlePacker.pack(source: folder, output: sandbox.path("b.relais"))
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("b.relais")))
    }

    @Test func refusesAFileNameThatIsNotUTF8() throws {
        let sandbox = try Sandbox()
        let folder = try source(sandbox)
        let name: [UInt8] = Array((folder + "/caf").utf8) + [0xE9] + Array(".txt".utf8)
        let fd = (name + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
        #expect(fd >= 0)
        close(fd)
        #expect(throws: ArchiveError.unsafeName(.notUTF8("caf\u{FFFD}.txt"))) {
            _ = try BundlePacker.pack(source: folder, output: sandbox.path("b.relais"))
        }
    }
}
