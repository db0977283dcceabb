import Crypto
import Foundation
import GRDB
import Logging
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import Testing

/// A probe that reports a fixed usage: the guard's arithmetic without filling a disk (the real
/// full disk is tests/cli/safety_test.sh, on a tmpfs).
struct FixedUsage: FreeSpaceProbe {
    var usage: DiskUsage
    func usage(of path: String) throws(StoreError) -> DiskUsage { usage }
}

struct DiskGuardTests {
    let directory = DataDirectory("/srv/relais")

    func guardAt(used: Int64, available: Int64) -> DiskGuard {
        DiskGuard(directory, probe: FixedUsage(usage: DiskUsage(availableBytes: available, usedBytes: used)))
    }

    @Test func levelsFollowTheEightyFiveAndNinetyFiveLines() throws {
        #expect(try guardAt(used: 84, available: 16).state().level == .ok)
        #expect(try guardAt(used: 85, available: 15).state().level == .warning)
        #expect(try guardAt(used: 94, available: 6).state().level == .warning)
        #expect(try guardAt(used: 95, available: 5).state().level == .refusing)
        let state = try guardAt(used: 97_000, available: 3_000).state()
        #expect(abs(state.percentUsed - 97) < 0.001)
        #expect(state.totalBytes == 100_000)
        #expect(state.summary.contains("relais gc --data /srv/relais"))
    }

    @Test func contentThatWouldCrossTheLineIsRefusedWithWhatToDo() throws {
        let disk = guardAt(used: 900_000, available: 100_000)
        try disk.checkRoom(for: 40_000, what: "the import of a.relais")  // 94 % after
        do {
            try disk.checkRoom(for: 60_000, what: "the import of b.relais")  // 96 % after
            Issue.record("a 96 % import was accepted")
        } catch let error as DiskFullError {
            let line = error.description
            #expect(!line.contains("\n"))
            #expect(line.contains("90 % used"))
            #expect(line.contains("the import of b.relais"))
            #expect(line.contains("relais gc --data /srv/relais"))
            #expect(line.contains("bigger disk"))
        }
    }
}

struct GarbageCollectionTests {
    @Test func gcRemovesWhatNothingReferencesAndKeepsWhatServes() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(version: "1.0.0", files: ["index.html": "v1", "commun.css": "partagé"]))
        try t.importBundle(try t.bundle(version: "2.0.0", files: ["index.html": "v2", "commun.css": "partagé"]))
        let d = t.box.directory
        let fm = FileManager.default
        // An orphan blob (killed between commit and unlink), a stray staging folder, a partial
        // download, and a quarantined blob from 40 days ago.
        let orphan = ContentHash(digest: SHA256.hash(data: Data("orphelin".utf8)))
        try String(repeating: "o", count: 1000).write(toFile: BlobStore(d).path(for: orphan), atomically: false, encoding: .utf8)
        try fm.createDirectory(atPath: d.tmpPath + "/import-stray", withIntermediateDirectories: true)
        try String(repeating: "s", count: 500).write(toFile: d.tmpPath + "/import-stray/1", atomically: false, encoding: .utf8)
        try fm.createDirectory(atPath: d.partialDownloadsPath, withIntermediateDirectories: true)
        try String(repeating: "p", count: 2000).write(toFile: d.partialDownloadsPath + "/abc.part", atomically: false, encoding: .utf8)
        try fm.createDirectory(atPath: d.quarantinePath, withIntermediateDirectories: true)
        try String(repeating: "q", count: 300).write(toFile: d.quarantinePath + "/old-1", atomically: false, encoding: .utf8)
        try "why".write(toFile: d.quarantinePath + "/old-1.txt", atomically: false, encoding: .utf8)
        try String(repeating: "r", count: 300).write(toFile: d.quarantinePath + "/recent-2", atomically: false, encoding: .utf8)
        try fm.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -40 * 86400)], ofItemAtPath: d.quarantinePath + "/old-1")
        try fm.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -40 * 86400)], ofItemAtPath: d.quarantinePath + "/old-1.txt")

        let report = try t.box.collectGarbage()

        #expect(report.bytesFreed == 1000 + 500 + 2000 + 300 + 3)
        #expect(!BlobStore(d).contains(orphan))
        #expect(t.stagingLeftovers().isEmpty)
        #expect(!fm.fileExists(atPath: d.partialDownloadsPath + "/abc.part"))
        #expect(!fm.fileExists(atPath: d.quarantinePath + "/old-1"))
        #expect(fm.fileExists(atPath: d.quarantinePath + "/recent-2"))
        // Both kept versions still serve.
        #expect(try t.served("fr.relais.test.demo", "2.0.0", "index.html") == "v2")
        #expect(try t.served("fr.relais.test.demo", "1.0.0", "index.html") == "v1")
        #expect(try t.box.doctor(deep: true, repair: false).problems.filter { !$0.contains("disk") }.isEmpty)
        // A second run has nothing left to do.
        #expect(try t.box.collectGarbage().items.isEmpty)
    }

    @Test func gcPrunesVersionsBeyondTheActiveOneAndTheOneItReplaced() throws {
        let t = try TestBox()
        for v in ["1.0.0", "2.0.0"] { try t.importBundle(try t.bundle(version: v, files: ["index.html": "contenu \(v)"])) }
        // A third version, older, kept by an earlier binary (the importer now keeps two).
        try t.box.database.write { db in
            try db.execute(sql: """
                INSERT INTO bundleVersion SELECT bundleId, '0.9.0', manifest, kind, standard, entry, fileCount, contentBytes, importedAt - 100
                FROM bundleVersion WHERE version = '1.0.0'
                """)
            try db.execute(sql: "INSERT INTO bundleFile SELECT bundleId, '0.9.0', path, blob FROM bundleFile WHERE version = '1.0.0'")
        }
        #expect(try t.served("fr.relais.test.demo", "0.9.0", "index.html") == "contenu 1.0.0")
        let report = try t.box.collectGarbage()
        #expect(report.items.contains { $0.what.contains("old versions") && $0.count == 1 })
        #expect(try t.served("fr.relais.test.demo", "0.9.0", "index.html") == nil)
        #expect(try t.served("fr.relais.test.demo", "1.0.0", "index.html") == "contenu 1.0.0")
        #expect(try t.served("fr.relais.test.demo", "2.0.0", "index.html") == "contenu 2.0.0")
        #expect(t.blobFiles() == 2)
    }

    @Test func doctorRepairRunsGC() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(files: ["index.html": "ok"]))
        let orphan = ContentHash(digest: SHA256.hash(data: Data("x".utf8)))
        try "x".write(toFile: BlobStore(t.box.directory).path(for: orphan), atomically: false, encoding: .utf8)
        let report = try t.box.doctor(deep: false, repair: true)
        #expect(report.checks.contains { $0.contains("removed 1") })
        #expect(!BlobStore(t.box.directory).contains(orphan))
    }
}

struct FsckTests {
    func path(_ t: TestBox, _ content: String) -> String {
        BlobStore(t.box.directory).path(for: ContentHash(digest: SHA256.hash(data: Data(content.utf8))))
    }

    func activeVersion(_ t: TestBox, _ id: String) throws -> String? {
        try t.box.database.read { db in try String.fetchOne(db, sql: "SELECT activeVersion FROM bundle WHERE id = ?", arguments: [id]) }
    }

    @Test func aCleanStoreIsClean() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(files: ["index.html": "propre", "a.js": "var a"]))
        let report = try t.box.fsck()
        #expect(report.clean)
        #expect(report.blobsChecked == 2)
        #expect(report.bytesChecked == Int64("propre".utf8.count + "var a".utf8.count))
    }

    @Test func aFlippedByteIsQuarantinedAndThePreviousWholeVersionServesAgain() throws {
        let t = try TestBox()
        try t.importFromRepository(try t.bundle(version: "1.0.0", files: ["index.html": "version un"]), id: "fr.relais.test.demo", version: "1.0.0")
        try t.importFromRepository(try t.bundle(version: "2.0.0", files: ["index.html": "version deux"]), id: "fr.relais.test.demo", version: "2.0.0")
        let blob = path(t, "version deux")
        try "version deuX".write(toFile: blob, atomically: false, encoding: .utf8)

        let report = try t.box.fsck()

        #expect(!report.clean)
        #expect(report.damages.map(\.kind) == [.corrupt])
        let moved = try #require(report.damages.first?.quarantinedAt)
        #expect(moved.hasPrefix(t.box.directory.quarantinePath + "/"))
        #expect(try String(contentsOfFile: moved, encoding: .utf8) == "version deuX")
        #expect(try String(contentsOfFile: moved + ".txt", encoding: .utf8).contains("corrupt"))
        #expect(!FileManager.default.fileExists(atPath: blob))
        #expect(report.bundles == [.init(bundleID: "fr.relais.test.demo", origin: "repository", removedVersions: ["2.0.0"], fallback: "1.0.0", activeLost: false)])
        #expect(try activeVersion(t, "fr.relais.test.demo") == "1.0.0")
        #expect(try t.served("fr.relais.test.demo", "2.0.0", "index.html") == nil)
        #expect(try t.served("fr.relais.test.demo", "1.0.0", "index.html") == "version un")
        // The next sync sees a target it does not have and fetches it again.
        #expect(try t.box.repositoryBundles().first?.targetHash == nil)
        #expect(try t.box.fsck().clean)
    }

    @Test func aTruncatedBlobWithNoOtherVersionStopsServingUntilReimported() throws {
        let t = try TestBox()
        let archive = try t.bundle(files: ["index.html": "seule version", "b.js": "partagé ailleurs"])
        try t.importBundle(archive)
        try t.importBundle(try t.bundle(id: "fr.relais.test.autre", files: ["index.html": "autre", "b.js": "partagé ailleurs"]))
        truncate(path(t, "seule version"), 3)

        let report = try t.box.fsck()

        #expect(report.damages.map(\.kind) == [.wrongSize])
        #expect(report.bundles.map(\.bundleID) == ["fr.relais.test.demo"])
        #expect(report.bundles.first?.activeLost == true)
        #expect(try t.box.catalog().map(\.manifest.id) == ["fr.relais.test.autre"])
        #expect(try t.served("fr.relais.test.autre", "1.0.0", "b.js") == "partagé ailleurs")
        let again = try t.box.fsck()
        #expect(!again.clean)
        #expect(again.waiting.map(\.id) == ["fr.relais.test.demo"])
        #expect(again.waiting.first?.origin == "local")
        // Re-importing the same bundle brings it back whole.
        try t.importBundle(archive)
        #expect(try t.served("fr.relais.test.demo", "1.0.0", "index.html") == "seule version")
        #expect(try t.box.fsck().clean)
    }

    @Test func aDeletedBlobIsReported() throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(files: ["index.html": "là", "c.css": "parti"]))
        unlink(path(t, "parti"))
        let report = try t.box.fsck()
        #expect(report.damages.map(\.kind) == [.missing])
        #expect(report.damages.first?.quarantinedAt == nil)
        #expect(report.bundles.first?.activeLost == true)
        #expect(t.blobFiles() == 0)  // the version's other blob went with it (nothing references it)
    }
}
