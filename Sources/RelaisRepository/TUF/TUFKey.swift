import Crypto
import _CryptoExtras
import Foundation
import RelaisCore

/// A public key as TUF metadata lists it (`keys` of root, `delegations`), with the keyid TUF
/// derives from it: the SHA-256 of the key object's canonical JSON, every field included.
public struct TUFKey: Equatable, Sendable {
    public let keyType: String
    public let scheme: String
    /// `keyval.public`: 64 hex digits for ed25519.
    public let publicValue: String
    /// The keyid: hex SHA-256 of the key object exactly as the metadata gives it, in canonical
    /// form. Fields this client does not use (`keyid_hash_algorithms`, `x-tuf-on-ci-keyowner`…)
    /// are hashed too (TUF 1.0 §4.2, and §4: unrecognized fields are kept, not dropped), so a
    /// key another tool wrote keeps the keyid that tool gave it.
    public let keyID: String

    /// Reads a key object; throws naming what is missing.
    public init(_ json: JSONValue) throws(TUFError) {
        guard case .string(let keyType)? = json["keytype"], case .string(let scheme)? = json["scheme"],
            case .string(let publicValue)? = json["keyval"]?["public"]
        else { throw .malformed("a key lacks keytype, scheme or keyval.public") }
        self.keyType = keyType
        self.scheme = scheme
        self.publicValue = publicValue
        self.keyID = ContentHash(digest: SHA256.hash(data: json.canonicalBytes())).hex
    }

    /// Whether `signature` (hex) is this key's signature of `message`, for the schemes TUF tools
    /// use: ed25519 (raw hex key), ecdsa-sha2-nistp256 (PEM key, DER signature) and
    /// rsassa-pss-sha256 (PEM key). Anything else is never valid.
    public func isValidSignature(_ signature: String, of message: [UInt8]) -> Bool {
        guard let sig = Hex.decode(signature) else { return false }
        switch (keyType, scheme) {
        case ("ed25519", "ed25519"):
            guard let raw = Hex.decode(publicValue), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
            return key.isValidSignature(sig, for: message)
        case ("ecdsa", "ecdsa-sha2-nistp256"), ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"):
            guard let key = try? P256.Signing.PublicKey(pemRepresentation: publicValue),
                let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: sig)
            else { return false }
            return key.isValidSignature(ecdsa, for: message)
        case ("rsa", "rsassa-pss-sha256"):
            guard let key = try? _RSA.Signing.PublicKey(pemRepresentation: publicValue) else { return false }
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: sig), for: SHA256.hash(data: message), padding: .PSS)
        default:
            return false
        }
    }
}
