import RelaisCore

/// What a successful refresh established: the versions now trusted and the top-level targets.
public struct TUFRefresh: Sendable {
    public let rootVersion: Int64
    public let timestampVersion: Int64
    public let snapshotVersion: Int64
    public let targetsVersion: Int64
    /// False when the cached snapshot and targets were still current (only the root probe and
    /// timestamp.json were fetched).
    public let downloadedSnapshotOrTargets: Bool
    public let targets: TargetsMetadata
    /// The earliest `expires` (Unix seconds) of the four trusted roles: the box must refresh before then.
    public let earliestExpiry: Int64
}

/// The TUF 1.0 client workflow (specification section 5) over any transport: update the root
/// through its rotation chain, then timestamp, snapshot and top-level targets, each checked for
/// signatures, rollback, mix-and-match, length, hashes and expiry; then download targets bounded
/// by their signed length and checked against their hashes.
///
/// Targets delegations are followed (§5.6.7) by `findTarget`, which fetches only the delegated
/// roles (or the one hash bin) on the path to the target asked for.
///
/// Not thread-safe: use one updater from one task at a time.
public final class TUFUpdater {
    /// Upper bounds on what a refresh fetches (python-tuf's defaults, 32 root steps).
    public struct Limits: Sendable {
        public var maxRootRotations = 32
        public var rootMaxLength: Int64 = 512_000
        public var timestampMaxLength: Int64 = 16_384
        public var snapshotMaxLength: Int64 = 2_000_000
        public var targetsMaxLength: Int64 = 5_000_000
        /// Delegated roles one target search visits at most, past top-level targets (python-tuf's 32).
        public var maxDelegations = 32

        public init() {}
    }

    let directory: MetadataDirectory
    let transport: any RepositoryTransport
    let now: Int64
    let limits: Limits
    var trustedRoot: TrustedRoot
    /// The top-level targets and snapshot of the last successful refresh.
    var trustedTargets: TargetsMetadata?
    var trustedSnapshot: SnapshotMetadata?
    /// Delegated roles verified since the refresh, keyed by delegator and name.
    var loadedRoles: [String: TargetsMetadata] = [:]
    /// Delegated targets `findTarget` found since the refresh.
    var resolved: [String: TargetsMetadata.Target] = [:]
    /// The delegated roles downloaded (not taken from the cache) since the refresh, in order.
    public internal(set) var fetchedRoles: [String] = []

    /// Writes root.json into the metadata folder (atomically, folder created 0700) after checking it
    /// parses and is signed by its own threshold: the root the box trusts from then on.
    public static func initialize(metadataDirectory: String, trustedRoot: [UInt8]) throws {
        _ = try TrustedRoot(bytes: trustedRoot)
        try MetadataDirectory.create(metadataDirectory)
        try MetadataDirectory(path: metadataDirectory).replace("root.json", with: trustedRoot)
    }

    /// Loads the trusted root.json from the folder; cached timestamp, snapshot and targets are read
    /// by `refresh` for rollback checks, once the root is up to date. `now` is Unix seconds from a
    /// clock the caller trusts.
    public init(metadataDirectory: String, transport: any RepositoryTransport, now: Int64, limits: Limits = Limits()) throws {
        directory = MetadataDirectory(path: metadataDirectory)
        guard let root = try directory.contents(of: "root.json") else { throw TUFError.notInitialized(directory: metadataDirectory) }
        trustedRoot = try TrustedRoot(bytes: root)
        self.transport = transport
        self.now = now
        self.limits = limits
    }

    /// Runs the client workflow; throws at the first refusal, keeping what was already accepted
    /// (a newer root, for instance) and never using metadata that failed a check.
    public func refresh() async throws -> TUFRefresh {
        trustedTargets = nil
        trustedSnapshot = nil
        loadedRoles = [:]
        resolved = [:]
        fetchedRoles = []
        let before = trustedRoot.root
        try await updateRoot()
        try forgetFastForwardedRoles(rotatedFrom: before)
        try trustedRoot.checkFinal(now: now)
        let timestamp = try await updateTimestamp()
        let snapshot = try await updateSnapshot(listedBy: timestamp)
        let targets = try await updateTargets(listedBy: snapshot.role)
        trustedTargets = targets.role
        trustedSnapshot = snapshot.role
        let root = trustedRoot.root.header
        return TUFRefresh(
            rootVersion: root.version, timestampVersion: timestamp.header.version, snapshotVersion: snapshot.role.header.version,
            targetsVersion: targets.role.header.version, downloadedSnapshotOrTargets: snapshot.downloaded || targets.downloaded,
            targets: targets.role,
            earliestExpiry: min(root.expires, timestamp.header.expires, snapshot.role.header.expires, targets.role.header.expires))
    }

    /// Target `name` after a successful refresh, if top-level targets lists it or `findTarget`
    /// already found it in a delegated role (use `findTarget` to search the delegations).
    public func targetInfo(_ name: String) -> TargetsMetadata.Target? {
        trustedTargets?.targets[name] ?? resolved[name]
    }
}
