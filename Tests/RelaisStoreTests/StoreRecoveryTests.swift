import Crypto
import Foundation
import Logging
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import Testing

struct StoreRecoveryTests {
    /// Lays out what an import killed between moving its blobs and committing leaves behind.
    func leaveAKilledImport(in t: TestBox, content: String) throws -> ContentHash {
        let hash = ContentHash(digest: SHA256.hash(data: Data(content.utf8)))
        let staging = t.box.directory.tmpPath + "/import-killed"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try hash.hex.write(toFile: staging + "/journal", atomically: false, encoding: .utf8)
        try "half".write(toFile: staging + "/7", atomically: false, encoding: .utf8)
        let blob = BlobStore(t.box.directory).path(for: hash)
        try FileManager.default.createDirectory(atPath: (blob as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try content.write(toFile: blob, atomically: false, encoding: .utf8)
        return hash
    }

    @Test func theNextCommandRemovesWhatAKilledImportLeft() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(files: ["index.html": "en service"]))
        let orphan = try leaveAKilledImport(in: t, content: "jamais validé")
        #expect(t.blobFiles() == 2)

        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let reopened = try Box.open(t.box.directory, logger: logger)

        #expect(t.stagingLeftovers().isEmpty)
        #expect(t.blobFiles() == 1)
        #expect(!BlobStore(reopened.directory).contains(orphan))
        #expect(try t.served("fr.relais.test.demo", "1.0.0", "index.html") == "en service")
        #expect(try reopened.doctor(deep: true, repair: false).problems.isEmpty)
    }

    @Test func recoveryKeepsBlobsTheDatabaseReferences() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(files: ["index.html": "déjà là"]))
        // Killed after the commit but before removing its staging folder: the blob is referenced.
        _ = try leaveAKilledImport(in: t, content: "déjà là")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        _ = try Box.open(t.box.directory, logger: logger)
        #expect(t.stagingLeftovers().isEmpty)
        #expect(try t.served("fr.relais.test.demo", "1.0.0", "index.html") == "déjà là")
    }

    @Test func doctorFindsMissingAndUnreferencedBlobs() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(files: ["index.html": "page"]))
        let file = try #require(try t.box.storedFiles().first)
        try FileManager.default.removeItem(atPath: t.box.blobPath(file.hash))
        let stray = BlobStore(t.box.directory).path(for: ContentHash(hex: String(repeating: "c", count: 64))!)
        try FileManager.default.createDirectory(atPath: (stray as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "stray".write(toFile: stray, atomically: false, encoding: .utf8)

        let report = try t.box.doctor(deep: false, repair: false)
        #expect(report.problems.count == 2)
        #expect(report.problems.contains { $0.contains("missing blob \(file.hash.hex)") })
        _ = try t.box.doctor(deep: false, repair: true)
        #expect(!FileManager.default.fileExists(atPath: stray))
    }
}
