import Foundation
import RelaisArchive
import RelaisCore
import Testing

/// `relais bundle pack` from zips generated here: HTML5, a package zipped with its folder, overrides,
/// a zipped bundle folder, and refusals.
@Suite struct PackZipTests {
    /// An HTML5 app zipped from outside its folder, as macOS Finder does (with __MACOSX litter).
    func html5Zip(_ sandbox: Sandbox) throws -> String {
        try sandbox.archive("calcul-mental.zip", format: .zip) { writer in
            try writer.addDirectory("calcul")
            try writer.addFile("calcul/index.html", contents: Array("<html><head><title>Calcul &amp; tables</title></head></html>".utf8))
            try writer.addFile("calcul/js/app.js", contents: Array("start()".utf8))
            try writer.addSymlink("calcul/app.js", target: "js/app.js")
            try writer.addFile("__MACOSX/calcul/._index.html", contents: [0])
            try writer.addFile("calcul/.DS_Store", contents: [0])
        }
    }

    @Test func packsAnHTML5ZipFromInsideItsSingleFolder() throws {
        let sandbox = try Sandbox()
        let report = try BundlePacker.pack(
            source: try html5Zip(sandbox), output: sandbox.path("b.relais"), overrides: ManifestOverrides(publisher: "Éditions Exemple"))
        let manifest = report.manifest
        #expect(manifest.standard == .html5 && manifest.kind == .solution)
        #expect(manifest.entry == "index.html")
        #expect(manifest.title.fr == "Calcul & tables")
        #expect(manifest.id == "local.calcul-mental")
        #expect(manifest.publisher == "Éditions Exemple" && manifest.version == "1.0.0")
        #expect(report.skipped == ["__MACOSX/calcul/._index.html", "calcul/.DS_Store"])

        let inspection = try BundleInspector.inspect(path: sandbox.path("b.relais"))
        #expect(inspection.verified)
        #expect(inspection.files.map(\.path.value) == ["index.html", "js/app.js"])
        #expect(inspection.links == [try BundlePath("app.js"): try BundlePath("js/app.js")])
    }

    @Test func letsOverridesWinOverTheDerivedManifest() throws {
        let sandbox = try Sandbox()
        let overrides = ManifestOverrides(
            id: "fr.editeur.golf", version: "3.1.0", kind: .solution, title: "Le golf expliqué", publisher: "Rustici",
            standard: .scorm12, entry: "shared/launchpage.html", levels: [.lycee], subjects: ["eps"])
        let report = try BundlePacker.pack(
            source: Corpus.path("scorm/RuntimeBasicCalls_SCORM12.zip"), output: sandbox.path("b.relais"), overrides: overrides)
        #expect(report.manifest.id == "fr.editeur.golf" && report.manifest.version == "3.1.0")
        #expect(report.manifest.kind == .solution && report.manifest.title.fr == "Le golf expliqué")
        #expect(report.manifest.publisher == "Rustici" && report.manifest.levels == [.lycee] && report.manifest.subjects == ["eps"])
    }

    @Test func refusesAnEntryThatIsNotInThePackage() throws {
        let sandbox = try Sandbox()
        let zip = try html5Zip(sandbox)
        let before = sandbox.listing()
        #expect(throws: PackError.entryMissing(entry: "start.html")) {
            _ = try BundlePacker.pack(source: zip, output: sandbox.path("b.relais"), overrides: ManifestOverrides(entry: "start.html"))
        }
        #expect(sandbox.listing() == before)
    }

    @Test func refusesAnInvalidOverrideNamingTheField() throws {
        let sandbox = try Sandbox()
        #expect(throws: PackError.manifest(.invalid(field: "version", "must be a semantic version such as 1.0.0, got « 1.0 »"))) {
            _ = try BundlePacker.pack(source: try html5Zip(sandbox), output: sandbox.path("b.relais"), overrides: ManifestOverrides(version: "1.0"))
        }
    }

    @Test func refusesAScormManifestLaunchingNothing() throws {
        let sandbox = try Sandbox()
        let zip = try sandbox.archive("empty-scorm.zip", format: .zip) { writer in
            try writer.addFile("imsmanifest.xml", contents: Array("<manifest identifier=\"x.y\"><organizations/><resources/></manifest>".utf8))
        }
        #expect(throws: PackError.packaging(.nothingToLaunch(file: "imsmanifest.xml"))) {
            _ = try BundlePacker.pack(source: zip, output: sandbox.path("b.relais"))
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("b.relais")))
    }

    @Test func refusesAZipThatIsNoPackage() throws {
        let sandbox = try Sandbox()
        let zip = try sandbox.archive("photos.zip", format: .zip) { writer in
            try writer.addFile("a.jpg", contents: [1])
            try writer.addFile("b/c.jpg", contents: [2])
        }
        #expect(throws: PackError.packaging(.notAPackage(topLevel: ["a.jpg", "b"]))) {
            _ = try BundlePacker.pack(source: zip, output: sandbox.path("b.relais"))
        }
    }

    @Test func packsAZippedBundleFolderWithItsOwnBundleJSON() throws {
        let sandbox = try Sandbox()
        let manifest = BundleManifest(
            id: "fr.relais.demo.video", version: "1.0.0", kind: .solution, title: .init(fr: "Vidéo"),
            description: .init(fr: ""), publisher: "Relais", standard: .video, entry: "film.mp4")
        let zip = try sandbox.archive("video.zip", format: .zip) { writer in
            try writer.addFile("video/bundle.json", contents: Array(manifest.encoded()))
            try writer.addFile("video/SHA256SUMS", contents: Array("stale".utf8))
            try writer.addFile("video/film.mp4", contents: noise(count: 1000))
        }
        let report = try BundlePacker.pack(source: zip, output: sandbox.path("b.relais"))
        #expect(report.manifest == manifest)
        #expect(report.skipped == ["video/SHA256SUMS"])
        #expect(try BundleInspector.inspect(path: sandbox.path("b.relais")).verified)
    }

    @Test func refusesASymlinkLeavingThePackageFolder() throws {
        let sandbox = try Sandbox()
        let zip = try sandbox.archive("app.zip", format: .zip) { writer in
            try writer.addFile("app/index.html", contents: [1])
            try writer.addSymlink("app/up", target: "..")
        }
        // ".." resolves to the zip root itself, which is no file of the bundle.
        #expect(throws: ArchiveError.linkEscapes(entry: "app/up", target: "..")) {
            _ = try BundlePacker.pack(source: zip, output: sandbox.path("b.relais"))
        }
    }
}
