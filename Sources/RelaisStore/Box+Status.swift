import Foundation
import GRDB
import RelaisCore

/// What `relais status`, the admin page's « État de la box » and `/metrics` show: version, the
/// school, bundles, disk, licences about to expire, syncs, the outbox, the clock, the box's
/// addresses; and the warnings the admin should act on. One struct for the three, built here.
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
    /// Relais's version (`RelaisVersion.current`).
    public let version: String
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
    /// The data folder's file system: used, free, % used.
    public let disk: DiskUsage
    /// Abonnements of the licence document still in force that end within `expiringWithinDays`.
    public let expiringLicences: [ExpiringLicence]
    /// The system clock against the box's trusted time.
    public let clock: ClockCheck
    /// The box's addresses and the URLs pupils type.
    public let network: Network
    /// What the admin should act on, one line each (French and English), most urgent first.
    public var warnings: [Warning]

    /// Licences ending within this many days are listed.
    public static let expiringWithinDays = 30
    /// Disk use, in %, from which status warns and doctor reports a problem (the disk guard's line).
    public static let diskWarningPercent = Int(DiskGuard.warnFraction * 100)
    /// Disk use, in %, from which the disk guard refuses new content.
    public static let diskRefusePercent = Int(DiskGuard.refuseFraction * 100)

    /// Space on the data folder's file system (as `df` counts it: used + available for this user).
    public struct DiskUsage: Codable, Sendable, Equatable {
        public let totalBytes: Int64
        public let usedBytes: Int64
        public let freeBytes: Int64
        /// `usedBytes / (usedBytes + freeBytes)`, rounded up, as `df` prints it.
        public let usedPercent: Int

        public init(totalBytes: Int64, usedBytes: Int64, freeBytes: Int64) {
            self.totalBytes = totalBytes
            self.usedBytes = usedBytes
            self.freeBytes = freeBytes
            let usable = usedBytes + freeBytes
            usedPercent = usable > 0 ? Int((usedBytes * 100 + usable - 1) / usable) : 0
        }

        /// The file system holding `path` (zeros when it cannot be read), read like the disk guard reads it.
        public static func of(path: String) -> DiskUsage {
            guard let usage = try? StatvfsProbe().usage(of: path) else { return DiskUsage(totalBytes: 0, usedBytes: 0, freeBytes: 0) }
            return DiskUsage(totalBytes: usage.usedBytes + usage.availableBytes, usedBytes: usage.usedBytes, freeBytes: usage.availableBytes)
        }
    }

    /// One abonnement that ends soon.
    public struct ExpiringLicence: Codable, Sendable, Equatable {
        /// `idRessource`: the bundle id.
        public let bundle: String
        /// `libelleRessource`.
        public let title: String
        public let idAbonnement: String
        /// Last second of validity (Unix seconds).
        public let finValidite: Int64
        /// Whole days left, rounded up (1: ends within 24 hours).
        public let daysLeft: Int
        /// Whether the bundle is installed on the box.
        public let installed: Bool
    }

    /// The system clock against the newest time the box has verified (`trustedTime`).
    public struct ClockCheck: Codable, Sendable, Equatable {
        /// `ok`, `behind` (earlier than a time already verified: expiries use the trusted time),
        /// `ahead` (more than `aheadLimitDays` after it: licences would end early), or `unknown`
        /// (nothing verified yet: no sync).
        public let state: String
        public let systemTime: Int64
        public let trustedTime: Int64
        public let behindBySeconds: Int64?
        public let aheadBySeconds: Int64?

        /// A system clock this far past the last verified time is suspicious.
        public static let aheadLimitDays: Int64 = 180

        public init(systemTime: Int64, trustedTime: Int64) {
            self.systemTime = systemTime
            self.trustedTime = trustedTime
            if trustedTime <= 0 {
                state = "unknown"
                behindBySeconds = nil
                aheadBySeconds = nil
            } else if systemTime < trustedTime {
                state = "behind"
                behindBySeconds = trustedTime - systemTime
                aheadBySeconds = nil
            } else if systemTime - trustedTime > Self.aheadLimitDays * 86_400 {
                state = "ahead"
                behindBySeconds = nil
                aheadBySeconds = systemTime - trustedTime
            } else {
                state = "ok"
                behindBySeconds = nil
                aheadBySeconds = nil
            }
        }

        /// The clock is wrong in a way the admin should fix.
        public var isWrong: Bool { state == "behind" || state == "ahead" }
    }

    /// Where the portal listens and how pupils reach it.
    public struct Network: Codable, Sendable, Equatable {
        /// The portal's port (`serve.port`).
        public let port: Int
        /// `serve.host` (0.0.0.0: every address).
        public let host: String
        /// Non-loopback addresses of the interfaces that are up.
        public let addresses: [HostAddress]
        /// What pupils type: `http://relais.local[:port]/`, then `http://ADDRESS:PORT/` for every
        /// address the portal listens on (link-local IPv6 left out).
        public let urls: [String]
    }

    /// Something to act on: a stable code (`disk`, `licenceExpiring`, `clockBehind`, `clockAhead`,
    /// `syncFailed`, `pushFailed`, `credentialsRefused`, `quarantine`, `seats`, `noAddress`) and one
    /// line in each language.
    public struct Warning: Codable, Sendable, Equatable {
        public let code: String
        public let fr: String
        public let en: String

        public init(code: String, fr: String, en: String) {
            self.code = code
            self.fr = fr
            self.en = en
        }
    }

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
    public func status(clock: Date = Date(), addresses: [HostAddress]? = nil) throws -> BoxStatus {
        let box = try identity()
        let now = try trustedNow(clock: clock)
        let settings = try self.settings()
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
        let disk = BoxStatus.DiskUsage.of(path: directory.root.path)
        let clockCheck = BoxStatus.ClockCheck(systemTime: Int64(clock.timeIntervalSince1970), trustedTime: state.trustedTime)
        let network = Self.network(settings: settings, addresses: addresses ?? HostAddress.current())
        let installed = try database.read { db in Set(try String.fetchAll(db, sql: "SELECT id FROM bundle")) }
        let expiring = Self.expiringLicences(licence, installed: installed, at: now)
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
            var status = BoxStatus(
                version: RelaisVersion.current, uai: box.uai, name: box.name, dataPath: directory.root.path, bundles: bundles,
                blobCount: blobCount, storedBytes: stored, logicalBytes: logical, savedBytes: logical - stored,
                diskFreeBytes: disk.freeBytes, diskTotalBytes: disk.totalBytes, sync: sync, upstream: upstream, seatWarnings: seats,
                disk: disk, expiringLicences: expiring, clock: clockCheck, network: network, warnings: [])
            status.warnings = status.computedWarnings()
            return status
        }
    }

    /// Abonnements in force at `now` that end within `BoxStatus.expiringWithinDays`, soonest first;
    /// one followed by another abonnement of the same resource that runs on is not listed.
    static func expiringLicences(_ licence: LicenceDocument?, installed: Set<String>, at now: Int64) -> [BoxStatus.ExpiringLicence] {
        guard let licence else { return [] }
        let horizon = now + Int64(BoxStatus.expiringWithinDays) * 86_400
        return licence.abonnements.filter { a in
            guard a.isActive(at: now), a.finValidite <= horizon else { return false }
            let continued = licence.abonnements.contains { b in
                b.idRessource == a.idRessource && b.finValidite > a.finValidite && b.debutValidite <= a.finValidite + 1
            }
            return !continued
        }
        .sorted { ($0.finValidite, $0.idAbonnement) < ($1.finValidite, $1.idAbonnement) }
        .map { a in
            BoxStatus.ExpiringLicence(
                bundle: a.idRessource, title: a.libelleRessource, idAbonnement: a.idAbonnement, finValidite: a.finValidite,
                daysLeft: Int((a.finValidite - now + 86_399) / 86_400), installed: installed.contains(a.idRessource))
        }
    }

    /// The portal's port and addresses from the settings, and the URLs pupils can type.
    static func network(settings: [String: String], addresses: [HostAddress]) -> BoxStatus.Network {
        func value(_ key: String) -> String { settings[key] ?? Setting.named(key)?.defaultValue ?? "" }
        let port = Int(value("serve.port")) ?? 8080
        let host = value("serve.host")
        let wildcard = host.isEmpty || host == "0.0.0.0" || host == "::" || host == "[::]"
        // Listening on one address: only that one reaches the portal (and relais.local, if it resolves to it).
        let listening = wildcard ? addresses : addresses.filter { $0.address == host }
        let local = port == 80 ? "http://relais.local/" : "http://relais.local:\(port)/"
        let urls = [local] + listening.filter { !$0.linkLocal }.map { $0.url(port: port) }
        return BoxStatus.Network(port: port, host: wildcard ? "0.0.0.0" : host, addresses: addresses, urls: urls)
    }
}

extension BoxStatus {
    /// The warnings the facts call for, most urgent first. Other checks (the disk guard) may append theirs.
    func computedWarnings() -> [Warning] {
        var warnings: [Warning] = []
        // The guard's own test (a fraction, not df's rounded-up percent): « full » exactly when it refuses.
        if disk.totalBytes > 0, RelaisStore.DiskUsage(availableBytes: disk.freeBytes, usedBytes: disk.usedBytes).usedFraction >= DiskGuard.refuseFraction {
            warnings.append(Warning(
                code: "disk",
                fr: "Disque plein : \(disk.usedPercent) % utilisés (\(ByteCount.format(disk.freeBytes)) libres). Les imports et téléchargements sont refusés au-delà de \(Self.diskRefusePercent) % ; la box sert et enregistre toujours. Libérez de la place : relais gc --data \(dataPath)",
                en: "Disk full: \(disk.usedPercent)% used (\(ByteCount.format(disk.freeBytes)) free). Imports and downloads are refused above \(Self.diskRefusePercent)%; the box still serves and records. Free some space: relais gc --data \(dataPath)"))
        } else if disk.totalBytes > 0, disk.usedPercent >= Self.diskWarningPercent {
            warnings.append(Warning(
                code: "disk",
                fr: "Disque presque plein : \(disk.usedPercent) % utilisés (\(ByteCount.format(disk.freeBytes)) libres) ; au-delà de \(Self.diskRefusePercent) % les imports seront refusés. Libérez de la place : relais gc --data \(dataPath)",
                en: "Disk almost full: \(disk.usedPercent)% used (\(ByteCount.format(disk.freeBytes)) free); above \(Self.diskRefusePercent)% imports will be refused. Free some space: relais gc --data \(dataPath)"))
        }
        if let behind = clock.behindBySeconds {
            warnings.append(Warning(
                code: "clockBehind",
                fr: "L'horloge système retarde de \(Self.duration(behind, .fr)) sur la dernière heure vérifiée ; la box garde cette heure-là. Réglez l'horloge : timedatectl set-ntp true",
                en: "The system clock is \(Self.duration(behind, .en)) behind the last verified time; the box keeps using that time. Fix the clock: timedatectl set-ntp true"))
        }
        if let ahead = clock.aheadBySeconds {
            warnings.append(Warning(
                code: "clockAhead",
                fr: "L'horloge système avance de \(Self.duration(ahead, .fr)) sur la dernière heure vérifiée : des licences pourraient sembler expirées. Vérifiez l'heure : timedatectl set-ntp true",
                en: "The system clock is \(Self.duration(ahead, .en)) ahead of the last verified time: licences may look expired. Check the time: timedatectl set-ntp true"))
        }
        for licence in expiringLicences {
            warnings.append(Warning(
                code: "licenceExpiring",
                fr: "La licence « \(licence.title) » (abonnement \(licence.idAbonnement)) se termine dans \(licence.daysLeft) jour\(licence.daysLeft > 1 ? "s" : "") ; demandez son renouvellement.",
                en: "The licence for “\(licence.title)” (abonnement \(licence.idAbonnement)) ends in \(licence.daysLeft) day\(licence.daysLeft > 1 ? "s" : ""); ask for its renewal."))
        }
        if let error = sync.lastError {
            warnings.append(Warning(
                code: "syncFailed", fr: "La dernière synchronisation a échoué : \(error)", en: "The last sync failed: \(error)"))
        }
        if upstream.credentialsRefusedAt != nil {
            warnings.append(Warning(
                code: "credentialsRefused",
                fr: "Le LRS amont refuse les identifiants de la box : vérifiez upstream.lrs.username et upstream.lrs.password (relais config).",
                en: "The upstream LRS refuses the box's credentials: check upstream.lrs.username and upstream.lrs.password (relais config)."))
        } else if let error = upstream.lastError {
            warnings.append(Warning(code: "pushFailed", fr: "Le dernier envoi au LRS amont a échoué : \(error)", en: "The last push to the upstream LRS failed: \(error)"))
        }
        if upstream.quarantined > 0 {
            warnings.append(Warning(
                code: "quarantine",
                fr: "\(upstream.quarantined) déclaration(s) refusée(s) par le LRS amont, en quarantaine ; après correction : relais sync --once --retry-quarantined",
                en: "\(upstream.quarantined) statement(s) refused by the upstream LRS, quarantined; once fixed: relais sync --once --retry-quarantined"))
        }
        for alert in seatWarnings {
            warnings.append(Warning(code: "seats", fr: alert.message, en: "Seats exceeded for abonnement \(alert.idAbonnement): \(alert.users) users for \(alert.seats) seats."))
        }
        if network.urls.count < 2 {
            warnings.append(Warning(
                code: "noAddress",
                fr: "Aucune adresse réseau (hors boucle locale) : les élèves ne peuvent pas joindre la box. Vérifiez le câble ou le Wi-Fi.",
                en: "No network address (besides loopback): pupils cannot reach the box. Check the cable or the Wi-Fi."))
        }
        return warnings
    }

    enum Tongue { case fr, en }

    /// « 3 h 20 min » / "3 h 20 min", « 12 jours » / "12 days".
    static func duration(_ seconds: Int64, _ tongue: Tongue) -> String {
        if seconds >= 2 * 86_400 { return "\(seconds / 86_400) \(tongue == .fr ? "jours" : "days")" }
        if seconds >= 3_600 { return "\(seconds / 3_600) h \(seconds % 3_600 / 60) min" }
        return "\(max(1, seconds / 60)) min"
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

extension Box {
    /// Statements stored in the local LRS (voided ones included: they stay stored).
    public func statementCount() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM statement") ?? 0 }
    }
}
