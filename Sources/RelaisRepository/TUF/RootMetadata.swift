import RelaisCore

/// The `signed` part of a root metadata file: who may sign each top-level role.
public struct RootMetadata: Sendable {
    /// Keys and threshold of one role.
    public struct Role: Equatable, Sendable {
        public let keyIDs: [String]
        public let threshold: Int
    }

    public let version: Int64
    public let specVersion: String
    /// `expires`, as written (ISO 8601, UTC, e.g. "2030-01-01T00:00:00Z").
    public let expires: String
    public let consistentSnapshot: Bool
    public let keys: [String: TUFKey]
    public let roles: [String: Role]

    /// Reads root's `signed` object; throws naming what is wrong.
    public init(_ signed: CanonicalJSON) throws(TUFError) {
        guard case .string("root")? = signed["_type"] else { throw .malformed("`_type` is not root") }
        guard case .integer(let version)? = signed["version"], version >= 1 else { throw .malformed("root `version` is not a positive integer") }
        guard case .string(let spec)? = signed["spec_version"] else { throw .malformed("root lacks `spec_version`") }
        guard case .string(let expires)? = signed["expires"] else { throw .malformed("root lacks `expires`") }
        guard case .object(let keyObjects)? = signed["keys"], case .object(let roleObjects)? = signed["roles"] else {
            throw .malformed("root lacks `keys` or `roles`")
        }
        var keys: [String: TUFKey] = [:]
        for (keyID, object) in keyObjects {
            let key = try TUFKey(object)
            // A keyid that is not the hash of its key would let one key count twice.
            guard key.keyID == keyID else { throw .malformed("keyid \(keyID.prefix(12))… is not the SHA-256 of its key") }
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
        self.version = version
        self.specVersion = spec
        self.expires = expires
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
