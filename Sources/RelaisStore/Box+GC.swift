import Foundation
import GRDB
import RelaisCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `relais gc` removed.
public struct GCReport: Sendable {
    /// One line per kind of thing removed, with its count and bytes.
    public struct Item: Sendable, Equatable {
        public var what: String
        public var count: Int
        public var bytes: Int64
    }
    public var items: [Item] = []
    /// Things left alone, and why (a sync running keeps its downloads).
    public var notes: [String] = []
    public var bytesFreed: Int64 { items.reduce(0) { $0 + $1.bytes } }
    public var removedCount: Int { items.reduce(0) { $0 + $1.count } }

    mutating func add(_ what: String, count: Int, bytes: Int64) {
        if count > 0 { items.append(Item(what: what, count: count, bytes: bytes)) }
    }
}

extension DataDirectory {
    /// `DIR/quarantine/`: blobs `relais fsck` found corrupt, each with a `.txt` saying why.
    public var quarantinePath: String { root.appendingPathComponent("quarantine").path }
}

extension Box {
    /// Quarantined blobs older than this go at the next `relais gc`.
    public static let quarantineKeptSeconds: Int64 = 30 * 24 * 3600

    /// `relais gc`: removes what nothing references — staging left by killed imports, bundle
    /// versions beyond the active one and the one it replaced, blob rows and files no version
    /// uses, downloads no sync is using, quarantined blobs older than 30 days.
    ///
    /// Safe while `relais serve` runs: it holds the store lock (an import waits for it or is
    /// refused as busy), serving only reads blobs the database references, and a blob file is
    /// unlinked only after the commit that dropped its last reference. Downloads are removed only
    /// when the sync lock is free too (no sync running).
    public func collectGarbage(now: Date = Date()) throws -> GCReport {
        let lock = try StoreLock(directory)
        defer { withExtendedLifetime(lock) {} }
        var report = GCReport()
        let fm = FileManager.default

        // 1. Staging left by a killed import: the recovery removes it with the blobs it had moved.
        let staging = ((try? fm.contentsOfDirectory(atPath: directory.tmpPath)) ?? []).map { directory.tmpPath + "/" + $0 }
        let stagingBytes = staging.reduce(Int64(0)) { $0 + Self.treeBytes($1) }
        try StoreRecovery(directory: directory, database: database, logger: logger).run()
        for path in staging where fm.fileExists(atPath: path) { try? fm.removeItem(atPath: path) }
        report.add("dossiers d'import interrompus / interrupted import folders (tmp/)", count: staging.count, bytes: stagingBytes)

        // 2. Old versions, then blob rows nothing references, in one transaction.
        let blobs = BlobStore(directory)
        let (versions, garbage) = try database.write { db -> (Int, [ContentHash]) in
            var removed = 0
            for bundle in try Row.fetchAll(db, sql: "SELECT id, activeVersion FROM bundle") {
                let id: String = bundle[0]
                let active: String = bundle[1]
                let others = try String.fetchAll(db, sql: """
                    SELECT version FROM bundleVersion WHERE bundleId = ? AND version <> ? ORDER BY importedAt DESC, rowid DESC
                    """, arguments: [id, active])
                for version in others.dropFirst() {
                    try db.execute(sql: "DELETE FROM bundleVersion WHERE bundleId = ? AND version = ?", arguments: [id, version])
                    removed += 1
                }
            }
            return (removed, try RelaisDatabase.collectGarbage(db))
        }
        var garbageBytes: Int64 = 0
        for hash in garbage {
            garbageBytes += Self.fileBytes(blobs.path(for: hash))
            blobs.remove(hash)
        }
        report.add("anciennes versions / old versions (beyond the active one and the one it replaced)", count: versions, bytes: 0)
        report.add("fichiers de contenu inutilisés / unused content files", count: garbage.count, bytes: garbageBytes)

        // 3. Files in the store the database does not list (a crash between commit and unlink).
        let known = Set(try database.read { db in try String.fetchAll(db, sql: "SELECT hash FROM blob") })
        var orphans = 0
        var orphanBytes: Int64 = 0
        for hash in blobs.allHashes() where !known.contains(hash.hex) {
            orphanBytes += Self.fileBytes(blobs.path(for: hash))
            blobs.remove(hash)
            orphans += 1
        }
        report.add("fichiers non référencés / unreferenced store files", count: orphans, bytes: orphanBytes)

        // 4. Downloads: only when no sync is running (it resumes its .part files).
        if let syncLock = try? StoreLock(directory, path: directory.syncLockPath) {
            let names = (try? fm.contentsOfDirectory(atPath: directory.partialDownloadsPath)) ?? []
            var bytes: Int64 = 0
            for name in names {
                let path = directory.partialDownloadsPath + "/" + name
                bytes += Self.treeBytes(path)
                try? fm.removeItem(atPath: path)
            }
            report.add("téléchargements partiels / partial downloads (sync/partial)", count: names.count, bytes: bytes)
            withExtendedLifetime(syncLock) {}
        } else {
            report.notes.append("a sync is running: its downloads (sync/partial) were left alone")
        }

        // 5. Quarantine older than 30 days.
        let cutoff = now.timeIntervalSince1970 - Double(Self.quarantineKeptSeconds)
        var expired = 0
        var expiredBytes: Int64 = 0
        for name in (try? fm.contentsOfDirectory(atPath: directory.quarantinePath)) ?? [] {
            let path = directory.quarantinePath + "/" + name
            guard let info = statOf(path), Double(info.st_mtim.tv_sec) < cutoff else { continue }
            expiredBytes += Int64(info.st_size)
            try? fm.removeItem(atPath: path)
            if !name.hasSuffix(".txt") { expired += 1 }
        }
        report.add("quarantaine expirée / expired quarantine (older than 30 days)", count: expired, bytes: expiredBytes)
        return report
    }

    static func fileBytes(_ path: String) -> Int64 {
        statOf(path).map { Int64($0.st_size) } ?? 0
    }

    /// Bytes of a file or of every file under a folder.
    static func treeBytes(_ path: String) -> Int64 {
        var folder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &folder) else { return 0 }
        guard folder.boolValue else { return fileBytes(path) }
        var total: Int64 = 0
        for name in FileManager.default.subpaths(atPath: path) ?? [] { total += fileBytes(path + "/" + name) }
        return total
    }
}

/// stat(2) of a path, nil when it cannot be read (at file scope: inside `Box`, `stat` is ambiguous).
private func statOf(_ path: String) -> stat? {
    var info = stat()
    return stat(path, &info) == 0 ? info : nil
}
