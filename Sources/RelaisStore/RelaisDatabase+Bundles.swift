import Foundation
import GRDB
import RelaisCore

extension RelaisDatabase {
    /// What an activation changed.
    struct Activation {
        var outcome: ImportReport.Outcome
        /// Blobs no version references any more; their rows are gone, their files can go.
        var garbage: [ContentHash]
    }

    /// In one transaction: records the version and its files, makes it the one that serves,
    /// prunes versions beyond `keptVersions` and drops blobs nothing references any more.
    func activate(
        manifest: BundleManifest, files: [BundlePath: ContentHash], sizes: [ContentHash: Int64],
        origin: BundleOrigin, target: RepositoryTarget?, keptVersions: Int, now: Date
    ) throws -> Activation {
        try write { db in
            let stamp = Int64(now.timeIntervalSince1970)
            let previous = try BundleRecord.fetchOne(db, key: manifest.id)
            var record = BundleRecord(
                id: manifest.id, activeVersion: manifest.version, origin: origin.rawValue, updatedAt: stamp,
                targetPath: target?.path, targetHash: target?.sha256, licenceRequired: target?.licenceRequired ?? false,
                unlistedAt: nil)
            if previous != nil { try record.update(db) } else { try record.insert(db) }
            record.updatedAt = stamp
            let outcome: ImportReport.Outcome
            if try BundleVersionRecord.exists(db, key: ["bundleId": manifest.id, "version": manifest.version]) {
                let existing = try RelaisDatabase.files(db, bundleID: manifest.id, version: manifest.version)
                guard existing == files else {
                    throw ImportError.versionConflict(id: manifest.id, version: manifest.version)
                }
                outcome = .unchanged
            } else {
                let insertBlob = try db.cachedStatement(sql: "INSERT OR IGNORE INTO blob (hash, size) VALUES (?, ?)")
                for (hash, size) in sizes { try insertBlob.execute(arguments: [hash.hex, size]) }
                try BundleVersionRecord(
                    bundleId: manifest.id, version: manifest.version, manifest: manifest.encoded(),
                    kind: manifest.kind.rawValue, standard: manifest.standard.rawValue, entry: manifest.entry,
                    fileCount: files.count, contentBytes: files.values.reduce(0) { $0 + (sizes[$1] ?? 0) },
                    importedAt: stamp
                ).insert(db)
                let insertFile = try db.cachedStatement(
                    sql: "INSERT INTO bundleFile (bundleId, version, path, blob) VALUES (?, ?, ?, ?)")
                for (path, hash) in files {
                    try insertFile.execute(arguments: [manifest.id, manifest.version, path.value, hash.hex])
                }
                outcome = .installed(replacing: previous?.activeVersion)
            }
            try pruneVersions(db, bundleID: manifest.id, keep: [manifest.version, previous?.activeVersion].compactMap { $0 }, limit: keptVersions)
            return Activation(outcome: outcome, garbage: try RelaisDatabase.collectGarbage(db))
        }
    }

    /// Deletes versions of a bundle other than those in `keep` (newest first, at most `limit`).
    private func pruneVersions(_ db: Database, bundleID: String, keep: [String], limit: Int) throws {
        let kept = Array(keep.prefix(max(1, limit)))
        try BundleVersionRecord
            .filter(Column("bundleId") == bundleID && !kept.contains(Column("version")))
            .deleteAll(db)
    }

    /// Deletes blob rows no file references; returns their hashes so the caller unlinks the files
    /// after the commit (a crash in between leaves an unreferenced file, which `doctor` reports).
    static func collectGarbage(_ db: Database) throws -> [ContentHash] {
        let hashes = try String.fetchAll(db, sql: """
            SELECT hash FROM blob WHERE NOT EXISTS (SELECT 1 FROM bundleFile WHERE bundleFile.blob = blob.hash)
            """)
        try db.execute(sql: """
            DELETE FROM blob WHERE NOT EXISTS (SELECT 1 FROM bundleFile WHERE bundleFile.blob = blob.hash)
            """)
        return hashes.compactMap { ContentHash(hex: $0) }
    }

    /// The files of one version, path → blob.
    static func files(_ db: Database, bundleID: String, version: String) throws -> [BundlePath: ContentHash] {
        var files: [BundlePath: ContentHash] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT path, blob FROM bundleFile WHERE bundleId = ? AND version = ?", arguments: [bundleID, version])
        while let row = try rows.next() {
            if let path = try? BundlePath(row[0] as String), let hash = ContentHash(hex: row[1]) { files[path] = hash }
        }
        return files
    }

    /// Whether a blob row exists (a committed import references it).
    func isReferenced(_ hash: ContentHash) throws -> Bool {
        try read { db in try BlobRecord.exists(db, key: hash.hex) }
    }
}
