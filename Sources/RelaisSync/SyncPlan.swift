import RelaisCore
import RelaisRepository
import RelaisStore

/// What a sync must do, decided from verified metadata and the box's state alone (no I/O): which
/// bundle targets to fetch, which installed bundles to relist or unlist.
public struct SyncPlan: Sendable, Equatable {
    /// A bundle target of the repository, read from its path and custom metadata.
    public struct Offer: Sendable, Equatable {
        public let target: RepositoryTarget
        public let length: Int64
    }

    /// Targets to download and import, in id order.
    public var fetch: [Offer] = []
    /// Installed bundles whose target is unchanged but which were unlisted: serve them again.
    public var relist: [String] = []
    /// Installed repository bundles to stop serving (gone from the repository, or no licence).
    public var unlist: [String] = []
    /// Bundles the repository offers that this school may not have (for the report).
    public var notLicensed: [String] = []
    /// Targets that look like bundles but whose path and custom metadata disagree (skipped).
    public var malformed: [String] = []

    /// The newest version of every bundle `targets` lists, keyed by bundle id.
    public static func offers(in targets: TargetsMetadata) -> (offers: [String: Offer], malformed: [String]) {
        var offers: [String: Offer] = [:]
        var malformed: [String] = []
        for (path, target) in targets.targets where path.hasPrefix("bundles/") && path.hasSuffix(".relais") {
            guard case .string(let id)? = target.custom?["id"], case .string(let version)? = target.custom?["version"],
                path == "bundles/\(id)/\(version).relais", let semver = SemanticVersion(version),
                let sha256 = target.hashes["sha256"]
            else {
                malformed.append(path)
                continue
            }
            let licenceRequired: Bool
            if case .bool(let required)? = target.custom?["licenceRequired"] { licenceRequired = required } else { licenceRequired = true }
            let offer = Offer(
                target: RepositoryTarget(path: path, sha256: sha256, bundleID: id, version: version, licenceRequired: licenceRequired),
                length: target.length)
            if let current = offers[id], let currentVersion = SemanticVersion(current.target.version), currentVersion >= semver { continue }
            offers[id] = offer
        }
        return (offers, malformed.sorted())
    }

    /// Decides the sync: a bundle is wanted when it needs no licence or the school holds an
    /// abonnement for it that is active or starts later (fetched ahead, served from its start).
    public init(targets: TargetsMetadata, licence: LicenceDocument?, installed: [BundleRecord], now: Int64) {
        let (offers, malformed) = SyncPlan.offers(in: targets)
        self.malformed = malformed
        var wanted: Set<String> = []
        for (id, offer) in offers.sorted(by: { $0.key < $1.key }) {
            if offer.target.licenceRequired {
                switch licence?.state(of: id, licenceRequired: true, at: now) ?? .none {
                case .active, .notYetValid, .notRequired: break
                case .expired, .none:
                    notLicensed.append(id)
                    continue
                }
            }
            wanted.insert(id)
            if let record = installed.first(where: { $0.id == id }), record.targetHash == offer.target.sha256 {
                if record.unlistedAt != nil { relist.append(id) }
            } else {
                fetch.append(offer)
            }
        }
        unlist = installed.filter { $0.unlistedAt == nil && !wanted.contains($0.id) }.map(\.id).sorted()
    }
}
