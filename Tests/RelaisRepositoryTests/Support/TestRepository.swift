import Crypto
import Foundation
import RelaisCore
import RelaisRepository

/// An ed25519 signing key and its TUF description.
struct TestKey {
    let privateKey = Curve25519.Signing.PrivateKey()

    var json: JSONValue {
        let hex = privateKey.publicKey.rawRepresentation.map { String(format: "%02x", $0) }.joined()
        return .object(["keytype": .string("ed25519"), "scheme": .string("ed25519"), "keyval": .object(["public": .string(hex)])])
    }

    var id: String { (try? TUFKey(json).keyID) ?? "" }

    func sign(_ signed: JSONValue) -> JSONValue {
        let signature = (try? privateKey.signature(for: signed.canonicalBytes())) ?? Data()
        return .object(["keyid": .string(id), "sig": .string(signature.map { String(format: "%02x", $0) }.joined())])
    }
}

/// A small TUF repository written and signed in the test itself, so each attack is one readable
/// change: bump or lower a version, expire a role, sign with the wrong key, then `publish()`.
final class TestRepository {
    /// 2027-01-15T08:00:00Z: the clock the tests' client trusts.
    static let now: Int64 = 1_800_000_000
    static let inAYear: Int64 = now + 365 * 86_400

    var keys: [String: [TestKey]] = ["root": [TestKey()], "timestamp": [TestKey()], "snapshot": [TestKey()], "targets": [TestKey()]]
    var thresholds: [String: Int] = ["root": 1, "timestamp": 1, "snapshot": 1, "targets": 1]
    var versions: [String: Int64] = ["root": 1, "timestamp": 1, "snapshot": 1, "targets": 1]
    var expires: [String: Int64] = ["root": inAYear, "timestamp": inAYear, "snapshot": inAYear, "targets": inAYear]
    var consistentSnapshot = true
    /// Whether timestamp and snapshot list the length and hashes of what they vouch for.
    var metaHashes = true
    var targets: [String: [UInt8]] = [:]
    /// Signers per role when not the role's own keys (a wrong key, too few keys...).
    var signers: [String: [TestKey]] = [:]

    let transport = MemoryTransport()

    /// A role top-level targets delegates to (in this order), signed by its own key.
    struct Delegated {
        var name: String
        var paths: [String]
        var key = TestKey()
        var version: Int64 = 1
        var targets: [String: [UInt8]] = [:]
    }

    var delegated: [Delegated] = []

    /// The current root, signed by its own root keys plus `extraSigners` (the previous root's keys
    /// when rotating).
    func root(signedBy extraSigners: [TestKey] = []) -> [UInt8] {
        var keyObjects: [String: JSONValue] = [:]
        var roles: [String: JSONValue] = [:]
        for (role, list) in keys {
            for key in list { keyObjects[key.id] = key.json }
            roles[role] = .object(["keyids": .array(list.map { .string($0.id) }), "threshold": .integer(Int64(thresholds[role] ?? 1))])
        }
        let signed = header("root", extra: [
            "keys": .object(keyObjects), "roles": .object(roles), "consistent_snapshot": .bool(consistentSnapshot),
        ])
        var signing = signers["root"] ?? keys["root"] ?? []
        for key in extraSigners where !signing.contains(where: { $0.id == key.id }) { signing.append(key) }
        return envelope(signed, signedBy: signing)
    }

    func targetsFile() -> [UInt8] {
        var entries: [String: JSONValue] = [:]
        for (path, bytes) in targets {
            entries[path] = .object(["length": .integer(Int64(bytes.count)), "hashes": .object(["sha256": .string(sha256(bytes))])])
        }
        var extra: [String: JSONValue] = ["targets": .object(entries)]
        if !delegated.isEmpty {
            var keys: [String: JSONValue] = [:]
            for role in delegated { keys[role.key.id] = role.key.json }
            extra["delegations"] = .object([
                "keys": .object(keys),
                "roles": .array(delegated.map { role in
                    .object([
                        "name": .string(role.name), "keyids": .array([.string(role.key.id)]), "threshold": .integer(1),
                        "terminating": .bool(false), "paths": .array(role.paths.map(JSONValue.string)),
                    ])
                }),
            ])
        }
        return envelope(header("targets", extra: extra), role: "targets")
    }

    func delegatedFile(_ role: Delegated) -> [UInt8] {
        var entries: [String: JSONValue] = [:]
        for (path, bytes) in role.targets {
            entries[path] = .object(["length": .integer(Int64(bytes.count)), "hashes": .object(["sha256": .string(sha256(bytes))])])
        }
        let signed = JSONValue.object([
            "_type": .string("targets"), "spec_version": .string("1.0.31"), "version": .integer(role.version),
            "expires": .string(TestRepository.time(TestRepository.inAYear)), "targets": .object(entries),
        ])
        return envelope(signed, signedBy: [role.key])
    }

    func snapshotFile(listing targetsBytes: [UInt8]) -> [UInt8] {
        var files: [String: JSONValue] = ["targets.json": meta(version: versions["targets"] ?? 1, targetsBytes)]
        for role in delegated { files["\(role.name).json"] = .object(["version": .integer(role.version)]) }
        return envelope(header("snapshot", extra: ["meta": .object(files)]), role: "snapshot")
    }

    func timestampFile(listing snapshotBytes: [UInt8]) -> [UInt8] {
        envelope(header("timestamp", extra: ["meta": .object(["snapshot.json": meta(version: versions["snapshot"] ?? 1, snapshotBytes)])]), role: "timestamp")
    }

    /// Serves the current state: `N.root.json` (only for a new root: call `publishRoot`), the
    /// timestamp, snapshot and targets under their consistent-snapshot names, and the targets as
    /// `HASH.name`.
    func publish() {
        let targetsBytes = targetsFile()
        let snapshotBytes = snapshotFile(listing: targetsBytes)
        transport[metadata: name("targets")] = targetsBytes
        transport[metadata: name("snapshot")] = snapshotBytes
        transport[metadata: "timestamp.json"] = timestampFile(listing: snapshotBytes)
        for (path, bytes) in targets { transport[target: hashedPath(path, bytes)] = bytes }
        for role in delegated {
            transport[metadata: consistentSnapshot ? "\(role.version).\(role.name).json" : "\(role.name).json"] = delegatedFile(role)
            for (path, bytes) in role.targets { transport[target: hashedPath(path, bytes)] = bytes }
        }
    }

    /// Serves the current root as `N.root.json`, signed also by `previousKeys`.
    func publishRoot(signedBy previousKeys: [TestKey] = []) {
        transport[metadata: "\(versions["root"] ?? 1).root.json"] = root(signedBy: previousKeys)
    }

    /// A metadata folder initialized with the current root, and an updater over the transport.
    func client(in folder: String, now: Int64 = TestRepository.now) throws -> TUFUpdater {
        if !FileManager.default.fileExists(atPath: "\(folder)/root.json") {
            try TUFUpdater.initialize(metadataDirectory: folder, trustedRoot: root())
        }
        return try TUFUpdater(metadataDirectory: folder, transport: transport, now: now)
    }

    func name(_ role: String) -> String {
        consistentSnapshot ? "\(versions[role] ?? 1).\(role).json" : "\(role).json"
    }

    func hashedPath(_ path: String, _ bytes: [UInt8]) -> String {
        guard consistentSnapshot else { return path }
        guard let slash = path.lastIndex(of: "/") else { return "\(sha256(bytes)).\(path)" }
        return "\(path[...slash])\(sha256(bytes)).\(path[path.index(after: slash)...])"
    }

    private func meta(version: Int64, _ bytes: [UInt8]) -> JSONValue {
        guard metaHashes else { return .object(["version": .integer(version)]) }
        return .object(["version": .integer(version), "length": .integer(Int64(bytes.count)), "hashes": .object(["sha256": .string(sha256(bytes))])])
    }

    private func header(_ role: String, extra: [String: JSONValue]) -> JSONValue {
        var fields = extra
        fields["_type"] = .string(role)
        fields["spec_version"] = .string("1.0.31")
        fields["version"] = .integer(versions[role] ?? 1)
        fields["expires"] = .string(TestRepository.time(expires[role] ?? TestRepository.inAYear))
        return .object(fields)
    }

    private func envelope(_ signed: JSONValue, role: String) -> [UInt8] {
        envelope(signed, signedBy: signers[role] ?? keys[role] ?? [])
    }

    private func envelope(_ signed: JSONValue, signedBy keys: [TestKey]) -> [UInt8] {
        JSONValue.object(["signed": signed, "signatures": .array(keys.map { $0.sign(signed) })]).canonicalBytes()
    }

    static func time(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

func sha256(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

/// A fresh empty folder under the system temporary folder.
func temporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "relais-tuf-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
