import Crypto
import Foundation
import RelaisCore
import RelaisRepository

/// One ed25519 key of a role, as stored in a KEYS file:
/// `{"keytype":"ed25519","scheme":"ed25519","public":HEX,"private":HEX,"role":ROLE}` where
/// `private` is the 32-byte seed and ROLE a top-level role or `bins` (the key of the licence hash
/// bins, `relais repo init --licence-bins`). The public half is what root (or the top-level
/// targets' delegations, for bins) lists; the keyid is TUF's.
struct SigningKey {
    /// `root`, `targets`, `snapshot`, `timestamp` or `bins`.
    let roleName: String
    let privateKey: Curve25519.Signing.PrivateKey

    /// The role name of the licence bins' key.
    static let binsRole = "bins"

    /// The top-level role this key signs, nil for a bins key.
    var role: HubRole? { HubRole(rawValue: roleName) }

    init(role: HubRole, privateKey: Curve25519.Signing.PrivateKey = Curve25519.Signing.PrivateKey()) {
        self.init(roleName: role.rawValue, privateKey: privateKey)
    }

    init(roleName: String, privateKey: Curve25519.Signing.PrivateKey = Curve25519.Signing.PrivateKey()) {
        self.roleName = roleName
        self.privateKey = privateKey
    }

    var publicHex: String { Hex.encode(privateKey.publicKey.rawRepresentation) }

    /// The key as root's `keys` lists it.
    var publicJSON: JSONValue {
        .object(["keytype": .string("ed25519"), "scheme": .string("ed25519"), "keyval": .object(["public": .string(publicHex)])])
    }

    /// TUF's keyid: the SHA-256 of `publicJSON` in canonical form (computed by RelaisRepository,
    /// so the hub and the client cannot disagree).
    var keyID: String {
        // publicJSON always has keytype, scheme and keyval.public.
        (try? TUFKey(publicJSON).keyID) ?? ""
    }

    /// `{"keyid","sig"}` over `bytes`.
    func signature(of bytes: [UInt8]) throws(HubError) -> JSONValue {
        let signature: Data
        do { signature = try privateKey.signature(for: bytes) } catch {
            throw .badKeyFile(path: roleName, reason: "signing failed: \(error)")
        }
        return .object(["keyid": .string(keyID), "sig": .string(Hex.encode(signature))])
    }

    /// The key file's bytes.
    var fileBytes: [UInt8] {
        JSONValue.object([
            "keytype": .string("ed25519"), "scheme": .string("ed25519"), "public": .string(publicHex),
            "private": .string(Hex.encode(privateKey.rawRepresentation)), "role": .string(roleName),
        ]).canonicalBytes()
    }

    /// Reads a key file, checking the public half matches the seed.
    init(file bytes: [UInt8], path: String) throws(HubError) {
        let json: JSONValue
        do { json = try JSONValue(parsing: bytes, numbers: .integersOnly) } catch { throw .badKeyFile(path: path, reason: error.description) }
        guard case .string("ed25519")? = json["keytype"], case .string("ed25519")? = json["scheme"] else {
            throw .badKeyFile(path: path, reason: "keytype and scheme must be ed25519")
        }
        guard case .string(let roleName)? = json["role"], HubRole(rawValue: roleName) != nil || roleName == SigningKey.binsRole else {
            throw .badKeyFile(path: path, reason: "role is not root, targets, snapshot, timestamp or bins")
        }
        guard case .string(let seedHex)? = json["private"], let seed = ContentHash(hex: seedHex),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: Hex.decode(seed.hex) ?? [])
        else { throw .badKeyFile(path: path, reason: "private is not a 64-hex-digit ed25519 seed") }
        self.init(roleName: roleName, privateKey: key)
        guard case .string(let publicHex)? = json["public"], publicHex.lowercased() == self.publicHex else {
            throw .badKeyFile(path: path, reason: "public does not match private")
        }
    }
}
