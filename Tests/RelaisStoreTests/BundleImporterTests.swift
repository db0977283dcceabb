import Crypto
import Foundation
import RelaisTestSupport
import RelaisArchive
import RelaisCore
@testable import RelaisStore
import Testing

struct BundleImporterTests {
    @Test func importsABundleWhoseFilesAreThenServedFromTheStore() throws {
        let t = try TestBox()
        let report = try t.importBundle(try t.bundle(files: ["index.html": "<h1>Bonjour</h1>", "js/app.js": "alert(1)"]))
        #expect(report.outcome == .installed(replacing: nil))
        #expect(report.fileCount == 2)
        #expect(try t.served("fr.relais.test.demo", "1.0.0", "index.html") == "<h1>Bonjour</h1>")
        #expect(try t.served("fr.relais.test.demo", "1.0.0", "js/app.js") == "alert(1)")
        let catalog = try t.box.catalog()
        #expect(catalog.map(\.manifest.id) == ["fr.relais.test.demo"])
        #expect(catalog.first?.licensed == true)
        #expect(t.stagingLeftovers().isEmpty)
    }

    @Test func storesAFileSharedByTwoBundlesOnce() throws {
        let t = try TestBox()
        let shared = String(repeating: "bibliothèque partagée ", count: 500)
        try t.importBundle(try t.bundle(id: "fr.relais.test.a", files: ["index.html": "A", "lib.js": shared]))
        let second = try t.importBundle(try t.bundle(id: "fr.relais.test.b", files: ["index.html": "B", "lib.js": shared]))
        #expect(second.newBytes == 1)  // only "B" was new
        let status = try t.box.status()
        #expect(status.blobCount == 3)
        #expect(status.savedBytes == Int64(shared.utf8.count))
        #expect(t.blobFiles() == 3)
    }

    @Test func aNewVersionReplacesTheOldOneAndTheOneBeforeIsCollected() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(version: "1.0.0", files: ["index.html": "v1", "only-v1.txt": "old"]))
        let v2 = try t.importBundle(try t.bundle(version: "1.1.0", files: ["index.html": "v2"]))
        #expect(v2.outcome == .installed(replacing: "1.0.0"))
        #expect(try t.box.catalog().first?.manifest.version == "1.1.0")
        // The replaced version stays on disk for pupils mid-activity.
        #expect(try t.served("fr.relais.test.demo", "1.0.0", "only-v1.txt") == "old")
        try t.importBundle(try t.bundle(version: "2.0.0", files: ["index.html": "v3"]))
        #expect(try t.served("fr.relais.test.demo", "1.0.0", "only-v1.txt") == nil)
        #expect(try t.box.status().bundles.first?.versions == ["1.1.0", "2.0.0"])
        #expect(t.blobFiles() == 2)  // "v2" and "v3"; v1's blobs were collected
    }

    @Test func reimportingTheSameVersionChangesNothing() throws {
        let t = try TestBox()
        let path = try t.bundle(files: ["index.html": "pareil"])
        try t.importBundle(path)
        let again = try t.importBundle(path)
        #expect(again.outcome == .unchanged)
        #expect(again.newBytes == 0)
    }

    @Test func refusesTheSameVersionWithOtherContent() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(files: ["index.html": "un"]))
        #expect(throws: ImportError.self) { try t.importBundle(try t.bundle(files: ["index.html": "deux"])) }
        #expect(try t.served("fr.relais.test.demo", "1.0.0", "index.html") == "un")
        #expect(t.blobFiles() == 1)
        #expect(t.stagingLeftovers().isEmpty)
    }

    @Test func aCorruptFileLeavesThePreviousVersionServingAndNothingBehind() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(version: "1.0.0", files: ["index.html": "v1"]))
        let wrong = ContentHash(hex: String(repeating: "0", count: 64))!
        let bad = try t.bundle(version: "1.1.0", files: ["index.html": "v2", "big.bin": String(repeating: "x", count: 100_000)],
                               digests: "\(wrong.hex)  big.bin\n\(ContentHash(digest: SHA256.hash(data: Data("v2".utf8))).hex)  index.html\n")
        #expect(throws: ImportError.hashMismatch("big.bin", expected: wrong, actual: ContentHash(digest: SHA256.hash(data: Data(String(repeating: "x", count: 100_000).utf8))))) {
            try t.importBundle(bad)
        }
        #expect(try t.box.catalog().first?.manifest.version == "1.0.0")
        #expect(t.blobFiles() == 1)
        #expect(t.stagingLeftovers().isEmpty)
    }

    /// Sizes on both sides of StagedFileVerifier.mapThreshold: read into its buffer, or mapped.
    @Test(arguments: [600_000, 1_500_000])
    func aCorruptLargeFileIsCaughtByTheBackgroundCheckBeforeAnythingIsCommitted(size: Int) throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(version: "1.0.0", files: ["index.html": "v1"]))
        // Its size is declared (tar), so it is hashed on the second core after it is written.
        // Varied bytes (a linear congruential sequence over 64 letters): a repeated letter past
        // 1 MiB would trip the compression-ratio limit before the hash is checked.
        var state: UInt32 = 12345
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        let big = String((0..<size).map { _ in
            state = state &* 1_103_515_245 &+ 12345
            return letters[Int(state >> 26)]
        })
        let wrong = ContentHash(hex: String(repeating: "1", count: 64))!
        let v2 = ContentHash(digest: SHA256.hash(data: Data("v2".utf8)))
        let bad = try t.bundle(version: "1.1.0", files: ["index.html": "v2", "video.bin": big], digests: "\(v2.hex)  index.html\n\(wrong.hex)  video.bin\n")
        #expect(throws: ImportError.hashMismatch("video.bin", expected: wrong, actual: ContentHash(digest: SHA256.hash(data: Data(big.utf8))))) {
            try t.importBundle(bad)
        }
        #expect(try t.box.catalog().first?.manifest.version == "1.0.0")
        #expect(t.blobFiles() == 1)
        #expect(t.stagingLeftovers().isEmpty)
        // The same file with its right hash goes through the same path and is accepted.
        let good = try t.importBundle(try t.bundle(version: "1.1.0", files: ["index.html": "v2", "video.bin": big]))
        #expect(good.contentBytes == Int64(size + 2))
        #expect(try t.served("fr.relais.test.demo", "1.1.0", "video.bin") == big)
    }

    @Test func refusesAnArchiveThatDoesNotStartWithBundleJSON() throws {
        let t = try TestBox()
        #expect(throws: PackError.self) { try t.importBundle(try t.bundle(files: ["index.html": "ok"], manifestLast: true)) }
        #expect(t.stagingLeftovers().isEmpty)
    }

    @Test func refusesBundlesThatDoNotHoldWhatTheyClaim() throws {
        let t = try TestBox()
        let files = ["index.html": "x"]
        let hash = ContentHash(digest: SHA256.hash(data: Data("x".utf8))).hex
        // entry names a missing file
        #expect(throws: ImportError.missingEntry("start.html")) { try t.importBundle(try t.bundle(files: files, entry: "start.html")) }
        // a file not listed in SHA256SUMS
        #expect(throws: ImportError.unlisted("index.html")) { try t.importBundle(try t.bundle(files: files, digests: "")) }
        // SHA256SUMS lists a file that is not there
        #expect(throws: ImportError.missingFile("gone.js")) {
            try t.importBundle(try t.bundle(files: files, digests: "\(hash)  index.html\n\(hash)  gone.js\n"))
        }
        #expect(t.blobFiles() == 0)
        #expect(t.stagingLeftovers().isEmpty)
    }

    @Test func refusesAnImportWhileAnotherProcessWrites() throws {
        let t = try TestBox()
        let lock = try StoreLock(t.box.directory)
        defer { withExtendedLifetime(lock) {} }
        let path = try t.bundle(files: ["index.html": "x"])
        #expect(throws: StoreError.self) { try t.importBundle(path) }
    }
}
