import Foundation
import GRDB
import RelaisCore

/// What the box remembers of its syncs with the signed repository.
public struct SyncStateRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "syncState"
    public var id: Int = 1
    /// The newest time the box has verified (Unix seconds): never trust a clock earlier than this.
    public var trustedTime: Int64
    public var lastAttemptAt: Int64?
    public var lastSuccessAt: Int64?
    /// Why the last sync failed, nil after a success.
    public var lastError: String?
    /// Where the last sync came from (URL or folder).
    public var source: String?
    public var rootVersion: Int64?
    public var targetsVersion: Int64?
    /// Seconds the system clock was behind `trustedTime` when it was first seen behind (nil: it
    /// is not behind).
    public var clockBehindBy: Int64?
}

/// The licence document of this UAI as last verified.
public struct StoredLicence: Sendable {
    public let document: [UInt8]
    public let sha256: String
    public let updatedAt: Int64
}

extension Box {
    /// What the box remembers of its syncs.
    public func syncState() throws -> SyncStateRecord {
        try database.read { db in
            try SyncStateRecord.fetchOne(db, key: 1) ?? SyncStateRecord(trustedTime: 0)
        }
    }

    /// The time to check expiries against: the system clock, unless it is earlier than the newest
    /// time already verified (a clock gone backwards would revive expired metadata and licences).
    /// Notes a clock gone backwards, so `relais status` can report it.
    public func trustedNow(clock: Date = Date()) throws -> Int64 {
        let now = Int64(clock.timeIntervalSince1970)
        let state = try syncState()
        let behind: Int64? = now < state.trustedTime ? state.trustedTime - now : nil
        // Written only when the clock starts or stops being behind, not on every call.
        if (behind == nil) != (state.clockBehindBy == nil) {
            try database.write { db in
                try db.execute(sql: "UPDATE syncState SET clockBehindBy = ? WHERE id = 1", arguments: [behind])
            }
        }
        return max(now, state.trustedTime)
    }

    /// Records a successful sync: metadata verified at `verifiedAt` (never moves trusted time back).
    public func recordSyncSuccess(verifiedAt: Int64, source: String, rootVersion: Int64, targetsVersion: Int64) throws {
        try database.write { db in
            try db.execute(sql: """
                UPDATE syncState SET trustedTime = MAX(trustedTime, ?), lastAttemptAt = ?, lastSuccessAt = ?,
                lastError = NULL, source = ?, rootVersion = ?, targetsVersion = ? WHERE id = 1
                """, arguments: [verifiedAt, verifiedAt, verifiedAt, source, rootVersion, targetsVersion])
        }
    }

    /// Records a failed sync, keeping everything it had.
    public func recordSyncFailure(at time: Int64, source: String, reason: String) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE syncState SET lastAttemptAt = ?, lastError = ?, source = ? WHERE id = 1",
                           arguments: [time, reason, source])
        }
    }

    /// The licence document last verified for this UAI, if the repository has one.
    public func storedLicence() throws -> StoredLicence? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT document, sha256, updatedAt FROM licence WHERE id = 1") else { return nil }
            let data: Data = row[0]
            return StoredLicence(document: Array(data), sha256: row[1], updatedAt: row[2])
        }
    }

    /// Replaces the licence document (already verified and validated by the caller).
    public func storeLicence(_ document: [UInt8], sha256: String, now: Int64) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO licence (id, document, sha256, updatedAt) VALUES (1, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET document = excluded.document, sha256 = excluded.sha256, updatedAt = excluded.updatedAt
                """, arguments: [Data(document), sha256, now])
        }
    }

    /// Removes the licence document (the repository no longer lists one for this UAI).
    public func removeLicence() throws {
        try database.write { db in try db.execute(sql: "DELETE FROM licence") }
    }

    /// Every bundle that came from the signed repository, listed or not.
    public func repositoryBundles() throws -> [BundleRecord] {
        try database.read { db in
            try BundleRecord.filter(Column("origin") == BundleOrigin.repository.rawValue).order(Column("id")).fetchAll(db)
        }
    }

    /// Stops serving these repository bundles now (they left the repository or lost their
    /// licence); their files stay until `collectUnlisted` runs on a later sync, so a pupil in
    /// the middle of one is not cut off by the sync that unlisted it.
    public func unlist(_ ids: [String], at time: Int64) throws {
        guard !ids.isEmpty else { return }
        try database.write { db in
            for id in ids {
                try db.execute(sql: "UPDATE bundle SET unlistedAt = ? WHERE id = ? AND unlistedAt IS NULL AND origin = ?",
                               arguments: [time, id, BundleOrigin.repository.rawValue])
            }
        }
    }

    /// Serves these unlisted bundles again (their licence came back before they were collected).
    public func relist(_ ids: [String]) throws {
        try database.write { db in
            for id in ids { try db.execute(sql: "UPDATE bundle SET unlistedAt = NULL WHERE id = ?", arguments: [id]) }
        }
    }

    /// Deletes bundles unlisted before `cutoff`, with the files only they used. Holds the store
    /// lock; returns the ids removed.
    @discardableResult
    public func collectUnlisted(before cutoff: Int64) throws -> [String] {
        let lock = try StoreLock(directory)
        defer { withExtendedLifetime(lock) {} }
        let (ids, garbage) = try database.write { db -> ([String], [ContentHash]) in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM bundle WHERE unlistedAt IS NOT NULL AND unlistedAt < ?", arguments: [cutoff])
            for id in ids {
                try BundleVersionRecord.filter(Column("bundleId") == id).deleteAll(db)
                try BundleRecord.deleteOne(db, key: id)
            }
            return (ids, try RelaisDatabase.collectGarbage(db))
        }
        let blobs = BlobStore(directory)
        for hash in garbage { blobs.remove(hash) }
        return ids
    }
}
