import Foundation
import RelaisArchive
import RelaisCore
import Testing

/// A truncated or corrupt archive fails with a clean error: no crash, no hang, nothing written.
@Suite struct CorruptArchiveTests {
    /// An archive of incompressible files, cut or altered by `damage`.
    func damaged(_ format: ArchiveWriter.Format, _ damage: (inout [UInt8]) -> Void) throws -> (Sandbox, String) {
        let sandbox = try Sandbox()
        let path = try sandbox.archive("damaged", format: format) { writer in
            try writer.addFile("index.html", contents: Array("<p>".utf8))
            try writer.addFile("a.bin", contents: noise(count: 300_000))
            try writer.addFile("b.bin", contents: noise(count: 300_000, seed: 3))
        }
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        damage(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (sandbox, path)
    }

    func expectCorrupt(_ sandbox: Sandbox, _ path: String) {
        let error = archiveError { _ = try readEverything(path) }
        switch error {
        case .corrupt?, .cannotOpen?: break
        default: Issue.record("expected a corrupt-archive error, got \(String(describing: error))")
        }
        #expect(error?.description.contains("get a fresh copy") == true || error?.description.contains("cannot open") == true)
        let before = sandbox.listing()
        #expect(throws: (any Error).self) { _ = try BundlePacker.pack(source: path, output: sandbox.path("out.relais")) }
        #expect(sandbox.listing() == before)
    }

    @Test(arguments: allFormats)
    func refusesATruncatedArchive(format: ArchiveWriter.Format) throws {
        // Cut inside b.bin: a plain tar cut exactly between two entries reads as a shorter archive.
        let (sandbox, path) = try damaged(format) { $0.removeLast($0.count / 2 - 1000) }
        expectCorrupt(sandbox, path)
    }

    @Test func refusesATarGzCutInsideItsFirstFile() throws {
        let (sandbox, path) = try damaged(.tarGzip) { $0.removeLast($0.count - 50_000) }
        // libarchive reads the first block when opening: the cut shows there already.
        #expect(archiveError { _ = try readEverything(path) } == .corrupt(entry: nil, reason: "truncated gzip input"))
        expectCorrupt(sandbox, path)
    }

    @Test(arguments: allFormats)
    func refusesAnArchiveWithAlteredBytes(format: ArchiveWriter.Format) throws {
        let (sandbox, path) = try damaged(format) { bytes in
            for offset in stride(from: bytes.count / 3, to: bytes.count / 3 + 64, by: 1) { bytes[offset] ^= 0x5A }
        }
        if format == .zip {
            expectCorrupt(sandbox, path)  // each zip entry has a CRC
        } else {
            // Tar has no checksum over file bytes and libarchive skips the gzip CRC: the bundle's
            // SHA256SUMS is what catches this (see BundleInspectorTests).
            #expect(try readEverything(path).count == 3)
        }
    }

    @Test func refusesAFileThatIsNotAnArchive() throws {
        let sandbox = try Sandbox()
        try Data(noise(count: 10_000)).write(to: URL(fileURLWithPath: sandbox.path("noise.zip")))
        try Data().write(to: URL(fileURLWithPath: sandbox.path("empty.zip")))
        expectCorrupt(sandbox, sandbox.path("noise.zip"))
        expectCorrupt(sandbox, sandbox.path("empty.zip"))
        #expect(archiveError { _ = try ArchiveReader(path: sandbox.path("missing.zip")) } != nil)
    }
}
