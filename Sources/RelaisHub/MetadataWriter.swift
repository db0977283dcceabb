import Crypto
import RelaisCore

/// Builds the `signed` objects of the four roles (TUF 1.0, spec_version 1.0.31) and signs them:
/// every signature is over `signed` in canonical JSON, exactly what clients verify.
enum MetadataWriter {
    static let specVersion = "1.0.31"

    /// `{"signatures": […], "signed": signed}` in canonical form, signed by every key given.
    static func envelope(_ signed: JSONValue, signedBy keys: [SigningKey]) throws(HubError) -> [UInt8] {
        let bytes = signed.canonicalBytes()
        var signatures: [JSONValue] = []
        for key in keys.sorted(by: { $0.keyID < $1.keyID }) { signatures.append(try key.signature(of: bytes)) }
        return JSONValue.object(["signatures": .array(signatures), "signed": signed]).canonicalBytes()
    }

    static func header(_ type: HubRole, version: Int64, expires: Int64) -> [String: JSONValue] {
        ["_type": .string(type.rawValue), "spec_version": .string(specVersion), "version": .integer(version),
         "expires": .string(UTCTime.format(expires))]
    }

    /// Top-level targets, or a delegated role (a licence bin): both are of type targets.
    static func targets(version: Int64, expires: Int64, targets: [String: JSONValue], delegations: JSONValue? = nil) -> JSONValue {
        var signed = header(.targets, version: version, expires: expires)
        signed["targets"] = .object(targets)
        if let delegations { signed["delegations"] = delegations }
        return .object(signed)
    }

    /// `roles`: the version of each delegated role (licence bin) besides targets.json.
    static func snapshot(version: Int64, expires: Int64, targetsVersion: Int64, roles: [String: Int64] = [:]) -> JSONValue {
        var signed = header(.snapshot, version: version, expires: expires)
        var meta: [String: JSONValue] = ["targets.json": .object(["version": .integer(targetsVersion)])]
        for (role, roleVersion) in roles { meta["\(role).json"] = .object(["version": .integer(roleVersion)]) }
        signed["meta"] = .object(meta)
        return .object(signed)
    }

    /// Timestamp names the snapshot by version, length and hash, so a box can bound and check
    /// its download.
    static func timestamp(version: Int64, expires: Int64, snapshotVersion: Int64, snapshot bytes: [UInt8]) -> JSONValue {
        var signed = header(.timestamp, version: version, expires: expires)
        signed["meta"] = .object([
            "snapshot.json": .object([
                "version": .integer(snapshotVersion), "length": .integer(Int64(bytes.count)),
                "hashes": .object(["sha256": .string(ContentHash(digest: SHA256.hash(data: bytes)).hex)]),
            ])
        ])
        return .object(signed)
    }
}

/// What root says, apart from version and expiry: the public keys and each role's keyids and
/// threshold. Read from the current root, changed by a rotation, written as the next root.
struct RootContent {
    var keys: [String: JSONValue]
    var roles: [HubRole: (keyIDs: [String], threshold: Int)]

    /// The content of a new repository's first root.
    init(keys: [HubRole: [SigningKey]], policies: [HubRole: RoleKeyPolicy]) {
        self.keys = [:]
        self.roles = [:]
        for role in HubRole.allCases {
            let roleKeys = keys[role] ?? []
            for key in roleKeys { self.keys[key.keyID] = key.publicJSON }
            roles[role] = (roleKeys.map(\.keyID).sorted(), policies[role]?.threshold ?? 1)
        }
    }

    /// The content of the root in force.
    init(_ signed: JSONValue) throws(HubError) {
        guard case .object(let keys)? = signed["keys"], case .object(let roleObjects)? = signed["roles"] else {
            throw .corruptState("root.json lacks keys or roles")
        }
        self.keys = keys
        self.roles = [:]
        for role in HubRole.allCases {
            guard case .array(let ids)? = roleObjects[role.rawValue]?["keyids"], case .integer(let threshold)? = roleObjects[role.rawValue]?["threshold"]
            else { throw .corruptState("root.json lacks the \(role.rawValue) role") }
            roles[role] = (ids.compactMap { if case .string(let id) = $0 { return id } else { return nil } }, Int(threshold))
        }
    }

    /// Gives `role` new keys (same threshold); keys no role uses any more leave root.
    mutating func replaceKeys(of role: HubRole, with newKeys: [SigningKey]) {
        roles[role] = (newKeys.map(\.keyID).sorted(), roles[role]?.threshold ?? 1)
        for key in newKeys { keys[key.keyID] = key.publicJSON }
        let used = Set(roles.values.flatMap(\.keyIDs))
        keys = keys.filter { used.contains($0.key) }
    }

    func signed(version: Int64, expires: Int64) -> JSONValue {
        var signed = MetadataWriter.header(.root, version: version, expires: expires)
        signed["consistent_snapshot"] = .bool(true)
        signed["keys"] = .object(keys)
        var roleObjects: [String: JSONValue] = [:]
        for (role, entry) in roles {
            roleObjects[role.rawValue] = .object(["keyids": .array(entry.keyIDs.map(JSONValue.string)), "threshold": .integer(Int64(entry.threshold))])
        }
        signed["roles"] = .object(roleObjects)
        return .object(signed)
    }
}
