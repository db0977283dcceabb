import RelaisCore

/// The `signed` part of a root metadata file: who may sign each top-level role.
public struct RootMetadata: Sendable {
    /// Keys and threshold of one role.
    public struct Role: Equatable, Sendable {
        public let keyIDs: [String]
        public let threshold: Int
    }

    public let header: MetadataHeader
    public var version: Int64 { header.version }
    public let consistentSnapshot: Bool
    public let keys: [String: TUFKey]
    public let roles: [String: Role]

    /// Reads root's `signed` object; throws naming what is wrong.
    public init(_ signed: JSONValue) throws(TUFError) {
        header = try MetadataHeader(signed, type: "root")
        guard case .object(let keyObjects)? = signed["keys"], case .object(let roleObjects)? = signed["roles"] else {
            throw .malformed("root lacks `keys` or `roles`")
        }
        var keys: [String: TUFKey] = [:]
        for (keyID, object) in keyObjects {
            let key = try TUFKey(object)
            // A keyid that is not the hash of its key would let one key count twice.
            guard key.keyID == keyID else {
                throw .malformed("keyid \(keyID.prefix(12))… is not the SHA-256 of its key object (canonical JSON, every field included)")
            }
            keys[keyID] = key
        }
        var roles: [String: Role] = [:]
        for name in ["root", "targets", "snapshot", "timestamp"] {
            guard let object = roleObjects[name], case .array(let ids)? = object["keyids"], case .integer(let threshold)? = object["threshold"],
                threshold >= 1
            else { throw .malformed("root role `\(name)` lacks keyids or a threshold ≥ 1") }
            var keyIDs: [String] = []
            for id in ids {
                guard case .string(let keyID) = id, keys[keyID] != nil else { throw .malformed("role `\(name)` names an unknown key") }
                keyIDs.append(keyID)
            }
            roles[name] = Role(keyIDs: keyIDs, threshold: Int(threshold))
        }
        if case .bool(let consistent)? = signed["consistent_snapshot"] { consistentSnapshot = consistent } else { consistentSnapshot = false }
        self.keys = keys
        self.roles = roles
    }

    /// Checks `metadata` against this root's keys and threshold for `role`.
    @discardableResult
    public func verify(_ metadata: SignedMetadata, as role: String) throws(TUFError) -> Int {
        guard let entry = roles[role] else { throw .malformed("root defines no role `\(role)`") }
        return try metadata.verify(role: role, keyIDs: entry.keyIDs, threshold: entry.threshold, keys: keys)
    }
}
