import Foundation
import RelaisArchive
import RelaisCore
import Testing

/// `relais bundle inspect`: what a bundle holds, and whether its files match SHA256SUMS.
@Suite struct BundleInspectorTests {
    static let manifest = BundleManifest(
        id: "fr.relais.demo.pdf", version: "1.0.0", kind: .solution, title: .init(fr: "Fiche"),
        description: .init(fr: ""), publisher: "Relais", standard: .pdf, entry: "fiche.pdf")

    /// A bundle written by hand, SHA256SUMS as given.
    func bundle(_ sandbox: Sandbox, sums: String, files: [String: [UInt8]], manifest: BundleManifest = manifest) throws -> String {
        try sandbox.archive("b.relais", format: .tarGzip) { writer in
            try writer.addFile("bundle.json", contents: Array(manifest.encoded()))
            try writer.addFile("SHA256SUMS", contents: Array(sums.utf8))
            for (path, bytes) in files.sorted(by: { $0.key < $1.key }) { try writer.addFile(path, contents: bytes) }
        }
    }

    @Test func reportsEachDisagreementWithSHA256SUMS() throws {
        let sandbox = try Sandbox()
        let good = ContentHasher.hash(Array("%PDF".utf8))
        let wrong = ContentHasher.hash(Array("autre".utf8))
        let sums = "\(good.hex)  fiche.pdf\n\(wrong.hex)  notes.txt\n\(good.hex)  absent.txt\n"
        let path = try bundle(sandbox, sums: sums, files: ["fiche.pdf": Array("%PDF".utf8), "notes.txt": [1], "extra.txt": [2]])
        let inspection = try BundleInspector.inspect(path: path)
        #expect(!inspection.verified)
        #expect(inspection.problems == [
            "« extra.txt » is not listed in SHA256SUMS",
            "« notes.txt » has SHA-256 \(ContentHasher.hash([1]).hex), SHA256SUMS says \(wrong.hex)",
            "SHA256SUMS lists « absent.txt », which the bundle does not hold",
        ])
        #expect(inspection.files.count == 3 && inspection.contentBytes == 6)
    }

    @Test func reportsAnEntryThatIsNotInTheBundle() throws {
        let sandbox = try Sandbox()
        let path = try bundle(sandbox, sums: "", files: [:])
        #expect(try BundleInspector.inspect(path: path).problems == ["bundle.json: `entry` « fiche.pdf » is not a file of the bundle"])
    }

    @Test func catchesBytesAlteredInsideATarGz() throws {
        // libarchive does not check the gzip CRC: the per-file SHA-256 does.
        let sandbox = try Sandbox()
        let output = sandbox.path("b.relais")
        try sandbox.write("src/bundle.json", String(decoding: Self.manifest.encoded(), as: UTF8.self))
        try Data(noise(count: 200_000)).write(to: URL(fileURLWithPath: sandbox.path("src/fiche.pdf")))
        _ = try BundlePacker.pack(source: sandbox.path("src"), output: output)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: output)))
        for offset in (bytes.count / 2)..<(bytes.count / 2 + 16) { bytes[offset] ^= 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: output))
        let inspection = try BundleInspector.inspect(path: output)
        #expect(!inspection.verified)
        #expect(inspection.problems.first?.hasPrefix("« fiche.pdf » has SHA-256") == true)
    }

    @Test func refusesAnArchiveThatDoesNotStartWithBundleJSON() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.archive("x.tar.gz", format: .tarGzip) { writer in
            try writer.addFile("SHA256SUMS", contents: [])
            try writer.addFile("bundle.json", contents: Array(Self.manifest.encoded()))
        }
        #expect(throws: PackError.notABundle(path: path, reason: "its first entry is not bundle.json")) {
            _ = try BundleInspector.inspect(path: path)
        }
    }

    @Test func refusesABundleWhoseManifestIsInvalid() throws {
        let sandbox = try Sandbox()
        var manifest = Self.manifest
        manifest.id = "pas un id"
        let path = try bundle(sandbox, sums: "", files: [:], manifest: manifest)
        let error = #expect(throws: PackError.self) { _ = try BundleInspector.inspect(path: path) }
        #expect(error?.description.contains("`id`") == true)
    }
}
