import RelaisCore
import RelaisRepository

/// What a rotation did.
public struct RotateSummary: Sendable, Equatable {
    public let role: HubRole
    /// The keyids the role had, now in KEYS/retired/.
    public let retiredKeyIDs: [String]
    public let newKeyIDs: [String]
    /// The publish that put the new root and keys in force.
    public let publish: PublishSummary
}

extension HubRepository {
    /// Gives `role` as many new keys as it had (same threshold) and publishes root N+1 listing
    /// them, signed by the current root keys — and, for a root rotation, by the new root keys too,
    /// as TUF requires — together with new targets, snapshot and timestamp signed by the keys now
    /// in force. The old private keys then move to `KEYS/retired/`. If anything fails before the
    /// publish, the repository is unchanged (new key files left in KEYS are listed by no root).
    @discardableResult
    public static func rotate(repo: String, keys: String, role: HubRole, now: Int64, expiries: Expiries = Expiries()) throws(HubError) -> RotateSummary {
        try expiries.validate()
        let (layout, lock) = try open(repo)
        defer { withExtendedLifetime(lock) {} }
        let store = try KeyStore(path: keys, repo: repo)
        let state = try PublishedState.load(layout)
        guard let old = state.root.roles[role.rawValue] else { throw .corruptState("root defines no \(role.rawValue) role") }
        let oldRootSigners = try store.signers(.root, under: state.root)
        let newKeys = (0..<old.keyIDs.count).map { _ in SigningKey(role: role) }
        for key in newKeys { try store.save(key) }
        var content = try RootContent(state.rootSigned)
        content.replaceKeys(of: role, with: newKeys)
        let signers = role == .root ? oldRootSigners + newKeys : oldRootSigners
        let summary = try publish(layout: layout, store: store, expiries: expiries, now: now, newRoot: PendingRoot(content: content, signers: signers))
        try store.retire(Set(old.keyIDs))
        return RotateSummary(role: role, retiredKeyIDs: old.keyIDs, newKeyIDs: newKeys.map(\.keyID).sorted(), publish: summary)
    }
}
