import Foundation
import RelaisCore

/// The hub's side of the signed repository (`relais repo init|add|remove|publish|rotate`).
///
/// REPO is laid out as `HubLayout` says and can be served by any static HTTP server or copied
/// to a stick as it is; the private keys live in KEYS, which must be outside REPO. Every command
/// takes `.relais-hub/lock` for its whole run.
public enum HubRepository {
    /// Creates REPO with a signed `1.root.json` (and `root.json`), generating each role's keys in
    /// KEYS; nothing is published yet (`add` then `publish`). Refuses a folder that already
    /// holds a repository.
    /// - Parameter licenceBins: when given (a power of two, 2 to 65536), licence targets are
    ///   published in that many succinct hash bins delegated by top-level targets and signed by a
    ///   bins key generated in KEYS, so a box fetches only the bin holding its licence.
    @discardableResult
    public static func initialize(
        repo: String, keys: String, roles: [HubRole: RoleKeyPolicy] = [:], expiries: Expiries = Expiries(), licenceBins: Int? = nil, now: Int64
    ) throws(HubError) -> InitSummary {
        for role in HubRole.allCases { try (roles[role] ?? .single).validate(role) }
        try expiries.validate()
        let binsKey = SigningKey(roleName: SigningKey.binsRole)
        var bins: LicenceBins?
        if let licenceBins { bins = try LicenceBins(count: licenceBins, signers: [binsKey]) }
        let layout = HubLayout(repo: repo)
        if HubFiles.exists(layout.metadata) || HubFiles.exists(layout.state) { throw .repositoryExists(repo) }
        let store = try KeyStore(path: keys, repo: repo)
        try store.prepare()
        for folder in [layout.metadata, layout.targets, layout.state] { try HubFiles.makeFolder(folder) }
        let lock = try HubLock(layout)
        var generated: [HubRole: [SigningKey]] = [:]
        for role in HubRole.allCases {
            generated[role] = (0..<(roles[role] ?? .single).keyCount).map { _ in SigningKey(role: role) }
            for key in generated[role] ?? [] { try store.save(key) }
        }
        if let bins {
            try store.save(binsKey)
            try bins.save(layout)
        }
        try Draft(targets: [:]).save(layout)
        try HubFiles.save(Array(stateReadme.utf8), to: (layout.state as NSString).appendingPathComponent("README.txt"))
        let expires = now + expiries.seconds(.root)
        let root = RootContent(keys: generated, policies: roles).signed(version: 1, expires: expires)
        let bytes = try MetadataWriter.envelope(root, signedBy: generated[.root] ?? [])
        try HubFiles.save(bytes, to: layout.metadataFile("1.root.json"))
        try HubFiles.save(bytes, to: layout.metadataFile("root.json"))
        withExtendedLifetime(lock) {}
        return InitSummary(
            keyIDs: generated.mapValues { $0.map(\.keyID) }, thresholds: generated.keys.reduce(into: [:]) { $0[$1] = (roles[$1] ?? .single).threshold },
            rootExpires: expires, licenceBins: bins?.succinct.binCount ?? 0, binsKeyIDs: bins?.succinct.keyIDs ?? [])
    }

    /// Opens an existing repository and takes its lock.
    static func open(_ repo: String) throws(HubError) -> (HubLayout, HubLock) {
        let layout = HubLayout(repo: repo)
        guard HubFiles.exists(layout.metadataFile("root.json")), HubFiles.exists(layout.draft) else { throw .notARepository(repo) }
        return (layout, try HubLock(layout))
    }

    static let stateReadme = """
        This folder is the hub's unsigned working state; boxes never read it.
        draft.json  the targets the next `relais repo publish` signs, as {"targets": {PATH: {length, hashes, custom}}};
                    `relais repo add` and `relais repo remove` edit it.
        lock        held by the relais repo command at work.
        bins.json   (init --licence-bins only) the number of licence hash bins and their public keys.
        tmp/        copies being checked by `relais repo add`; removed by the next command.
        The signing keys are NOT here: they live in the KEYS folder given to init, outside this repository.

        """
}

/// What `initialize` made.
public struct InitSummary: Sendable, Equatable {
    /// The keyids generated for each role.
    public let keyIDs: [HubRole: [String]]
    public let thresholds: [HubRole: Int]
    /// When `1.root.json` expires (Unix seconds).
    public let rootExpires: Int64
    /// Number of licence hash bins, 0 without `--licence-bins`.
    public let licenceBins: Int
    /// The keyids of the bins key(s).
    public let binsKeyIDs: [String]
}
