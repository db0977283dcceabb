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
        /// `notRequired`, `active`, `notYetValid`, `expired` or `none` (at the box's trusted time).
        public let licence: String
        /// One line on the licence, in French (what to do when it cannot be used).
        public let licenceNote: String
        /// When the bundle left the repository (it no longer serves; removed by the next sync).
        public let unlistedAt: Int64?
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
    public let sync: Sync
    /// The outbox to the upstream LRS: pending, quarantined (with reasons), last push.
    public let upstream: OutboxStatus
    /// Abonnements used by more distinct learners than they have seats (a warning, never a cut).
    public let seatWarnings: [SeatAlert]

    /// One `SeatWarning`, as `relais status --json` prints it.
    public struct SeatAlert: Codable, Sendable {
        public let idAbonnement: String
        public let scope: String
        public let seats: Int
        public let users: Int
        public let message: String
    }

    /// The signed repository side: last syncs, trusted time, clock check.
    public struct Sync: Codable, Sendable {
        public let source: String?
        public let trustsRepository: Bool
        public let lastAttemptAt: Int64?
        public let lastSuccessAt: Int64?
        public let lastError: String?
        public let rootVersion: Int64?
        public let targetsVersion: Int64?
        /// The newest time the box has verified; expiries are never checked against an earlier clock.
        public let trustedTime: Int64
        /// Set when the system clock is earlier than `trustedTime` (by that many seconds when first seen).
        public let clockBehindBy: Int64?
        /// Abonnements in the licence document (nil: none published for this UAI).
        public let abonnements: Int?
    }
}

extension Box {
    /// Gathers the status in one read transaction; licence states at the box's trusted time.
    public func status(clock: Date = Date()) throws -> BoxStatus {
        let box = try identity()
        let now = try trustedNow(clock: clock)
        let entries = Dictionary(try catalog(at: now).map { ($0.manifest.id, $0) }, uniquingKeysWith: { a, _ in a })
        let state = try syncState()
        let licence = try licenceDocument()
        let upstream = try outboxStatus()
        let seats = try seatWarnings().map {
            BoxStatus.SeatAlert(idAbonnement: $0.idAbonnement, scope: $0.scope.rawValue, seats: $0.seats, users: $0.users, message: $0.french)
        }
        let sync = BoxStatus.Sync(
            source: state.source, trustsRepository: FileManager.default.fileExists(atPath: directory.tufPath + "/root.json"),
            lastAttemptAt: state.lastAttemptAt, lastSuccessAt: state.lastSuccessAt, lastError: state.lastError,
            rootVersion: state.rootVersion, targetsVersion: state.targetsVersion, trustedTime: state.trustedTime,
            clockBehindBy: state.clockBehindBy, abonnements: licence?.abonnements.count)
        var stats = statvfs()
        let disk = statvfs(directory.root.path, &stats) == 0
        return try database.read { db in
            let versions = try BundleVersionRecord.order(Column("importedAt")).fetchAll(db)
            let bundles = try BundleRecord.order(Column("id")).fetchAll(db).compactMap { bundle -> BoxStatus.Bundle? in
                let mine = versions.filter { $0.bundleId == bundle.id }
                guard let active = mine.first(where: { $0.version == bundle.activeVersion }) else { return nil }
                let title = (try? active.decodedManifest().title.fr) ?? bundle.id
                let entry = entries[bundle.id]
                return BoxStatus.Bundle(
                    id: bundle.id, title: title, kind: active.kind, standard: active.standard, origin: bundle.origin,
                    licence: entry.map { $0.licence.name } ?? "unlisted",
                    licenceNote: entry.map { $0.licence.frenchExplanation(resource: $0.resourceName) } ?? "retirée du dépôt",
                    unlistedAt: bundle.unlistedAt,
                    activeVersion: bundle.activeVersion, versions: mine.map(\.version), contentBytes: active.contentBytes)
            }
            let blobCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM blob") ?? 0
            let stored = try Int64.fetchOne(db, sql: "SELECT IFNULL(SUM(size), 0) FROM blob") ?? 0
            let logical = versions.reduce(Int64(0)) { $0 + $1.contentBytes }
            return BoxStatus(
                uai: box.uai, name: box.name, dataPath: directory.root.path, bundles: bundles,
                blobCount: blobCount, storedBytes: stored, logicalBytes: logical, savedBytes: logical - stored,
                diskFreeBytes: disk ? Int64(stats.f_bavail) * Int64(stats.f_frsize) : 0,
                diskTotalBytes: disk ? Int64(stats.f_blocks) * Int64(stats.f_frsize) : 0, sync: sync, upstream: upstream, seatWarnings: seats)
        }
    }
}

extension LicenceState {
    /// The state's name in `relais status --json`.
    public var name: String {
        switch self {
        case .notRequired: return "notRequired"
        case .active: return "active"
        case .notYetValid: return "notYetValid"
        case .expired: return "expired"
        case .none: return "none"
        }
    }
}
