import Foundation
import GRDB
import RelaisCore

/// What `relais status` shows: bundles, versions, sizes, disk used and saved by deduplication.
public struct BoxStatus: Codable, Sendable {
    public struct Bundle: Codable, Sendable {
        public let id: String
        public let title: String
        public let kind: String
        public let standard: String
        public let origin: String
        public let activeVersion: String
        public let versions: [String]
        public let contentBytes: Int64
    }
    public let uai: String
    public let name: String
    public let dataPath: String
    public let bundles: [Bundle]
    /// Distinct files in the store and their bytes (what the disk holds).
    public let blobCount: Int
    public let storedBytes: Int64
    /// Bytes all stored versions would take without deduplication.
    public let logicalBytes: Int64
    /// `logicalBytes - storedBytes`: what deduplication saves.
    public let savedBytes: Int64
    /// Free bytes on the file system of the data folder.
    public let diskFreeBytes: Int64
    public let diskTotalBytes: Int64
}

extension Box {
    /// Gathers the status in one read transaction.
    public func status() throws -> BoxStatus {
        let box = try identity()
        var stats = statvfs()
        let disk = statvfs(directory.root.path, &stats) == 0
        return try database.read { db in
            let versions = try BundleVersionRecord.order(Column("importedAt")).fetchAll(db)
            let bundles = try BundleRecord.order(Column("id")).fetchAll(db).compactMap { bundle -> BoxStatus.Bundle? in
                let mine = versions.filter { $0.bundleId == bundle.id }
                guard let active = mine.first(where: { $0.version == bundle.activeVersion }) else { return nil }
                let title = (try? active.decodedManifest().title.fr) ?? bundle.id
                return BoxStatus.Bundle(
                    id: bundle.id, title: title, kind: active.kind, standard: active.standard, origin: bundle.origin,
                    activeVersion: bundle.activeVersion, versions: mine.map(\.version), contentBytes: active.contentBytes)
            }
            let blobCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM blob") ?? 0
            let stored = try Int64.fetchOne(db, sql: "SELECT IFNULL(SUM(size), 0) FROM blob") ?? 0
            let logical = versions.reduce(Int64(0)) { $0 + $1.contentBytes }
            return BoxStatus(
                uai: box.uai, name: box.name, dataPath: directory.root.path, bundles: bundles,
                blobCount: blobCount, storedBytes: stored, logicalBytes: logical, savedBytes: logical - stored,
                diskFreeBytes: disk ? Int64(stats.f_bavail) * Int64(stats.f_frsize) : 0,
                diskTotalBytes: disk ? Int64(stats.f_blocks) * Int64(stats.f_frsize) : 0)
        }
    }
}
