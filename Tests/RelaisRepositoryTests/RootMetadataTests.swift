import Foundation
import RelaisCore
import RelaisRepository
import Testing

/// Fixtures written by python-tuf 7.0.1 (`tuf.api.metadata`): an independent implementation.
/// root-2of2.json: root threshold 2, signed by both root keys; root-1of2.json: the same root
/// signed by one key only.
struct RootMetadataTests {
    func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return Array(try Data(contentsOf: url))
    }

    @Test func verifiesARootSignedByPythonTUF() throws {
        let metadata = try SignedMetadata(bytes: try fixture("root-2of2.json"))
        let root = try RootMetadata(metadata.signed)
        #expect(root.version == 1)
        #expect(root.roles["root"]?.threshold == 2)
        #expect(root.consistentSnapshot)
        #expect(try root.verify(metadata, as: "root") == 2)
    }

    @Test func refusesARootBelowItsThreshold() throws {
        let metadata = try SignedMetadata(bytes: try fixture("root-1of2.json"))
        let root = try RootMetadata(metadata.signed)
        #expect(throws: TUFError.belowThreshold(role: "root", valid: 1, threshold: 2)) { try root.verify(metadata, as: "root") }
    }

    /// §4.2: the keyids of `signatures` must be unique. A repeat makes the file invalid, even when
    /// one copy alone would meet the threshold (it was once counted once and accepted).
    @Test func refusesASignatureRepeatedByTheSameKey() throws {
        for name in ["root-1of2.json", "root-2of2.json"] {
            var json = try JSONValue(parsing: try fixture(name), numbers: .integersOnly)
            guard case .object(var top) = json, case .array(let signatures)? = top["signatures"], let first = signatures.first,
                case .string(let keyID)? = first["keyid"]
            else { throw TUFError.malformed("fixture") }
            top["signatures"] = .array(signatures + [first])
            json = .object(top)
            #expect(throws: TUFError.duplicateSignature(keyID: keyID)) { try SignedMetadata(bytes: json.canonicalBytes()) }
            #expect(throws: TUFError.duplicateSignature(keyID: keyID)) { try TrustedRoot(bytes: json.canonicalBytes()) }
        }
    }

    /// Real repositories (sigstore's root-signing, tuf-on-ci) list keys with fields beyond
    /// keytype/scheme/keyval; their keyid hashes the whole object (root-extra-fields.json, from
    /// make_extra_fields_root.py). Hashing only the three known fields refused such a root.
    @Test func acceptsKeysWithExtraFieldsHashedIntoTheirKeyID() throws {
        let bytes = try fixture("root-extra-fields.json")
        let trusted = try TrustedRoot(bytes: bytes)
        #expect(trusted.root.keys.count == 4)
        let signed = try #require(try SignedMetadata(bytes: bytes).signed["keys"])
        guard case .object(let keys) = signed else { throw TUFError.malformed("fixture") }
        for (keyID, object) in keys {
            #expect(object["x-tuf-on-ci-keyowner"] != nil)
            #expect(try TUFKey(object).keyID == keyID)
            #expect(trusted.root.keys[keyID]?.keyID == keyID)
        }
    }

    /// A key of sigstore's root-signing repository (root v13, tuf-on-ci): its published keyid is
    /// the SHA-256 of the whole object, `keyid_hash_algorithms` and `x-tuf-on-ci-keyowner` included.
    @Test func computesTheKeyIDOfASigstoreRootKey() throws {
        let text = #"""
            {"keyid_hash_algorithms":["sha256","sha512"],"keytype":"ecdsa","keyval":{"public":"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEzBzVOmHCPojMVLSI364WiiV8NPrD\n6IgRxVliskz/v+y3JER5mcVGcONliDcWMC5J2lfHmjPNPhb4H7xm8LzfSA==\n-----END PUBLIC KEY-----\n"},"scheme":"ecdsa-sha2-nistp256","x-tuf-on-ci-keyowner":"@santiagotorres"}
            """#
        let key = try TUFKey(try JSONValue(parsing: Array(text.utf8), numbers: .integersOnly))
        #expect(key.keyID == "22f4caec6d8e6f9555af66b3d4c3cb06a3bb23fdc7e39c916c61f462e6f52b06")
    }

    /// A keyid computed from keytype, scheme and keyval alone no longer names a key with more fields.
    @Test func refusesAKeyIDThatLeavesOutTheKeysExtraFields() throws {
        let key = JSONValue.object([
            "keytype": .string("ed25519"), "scheme": .string("ed25519"), "keyval": .object(["public": .string(String(repeating: "ab", count: 32))]),
        ])
        guard case .object(var fields) = key else { return }
        fields["x-tuf-on-ci-keyowner"] = .string("@someone")
        #expect(try TUFKey(.object(fields)).keyID != TUFKey(key).keyID)
    }

    @Test func refusesMetadataChangedAfterSigning() throws {
        var text = String(decoding: try fixture("root-2of2.json"), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"version\":1", with: "\"version\":2")
        #expect(text.contains("\"version\":2"))
        let metadata = try SignedMetadata(bytes: Array(text.utf8))
        let root = try RootMetadata(metadata.signed)
        #expect(throws: TUFError.belowThreshold(role: "root", valid: 0, threshold: 2)) { try root.verify(metadata, as: "root") }
    }

    @Test func computesKeyIDsAsPythonTUFDoes() throws {
        let root = try RootMetadata(try SignedMetadata(bytes: try fixture("root-2of2.json")).signed)
        for (keyID, key) in root.keys { #expect(key.keyID == keyID) }
    }

    @Test func refusesAFloatOrADuplicateKeyInMetadata() throws {
        #expect(throws: TUFError.self) { try SignedMetadata(bytes: Array(#"{"signed":{"version":1.0},"signatures":[]}"#.utf8)) }
        #expect(throws: TUFError.self) { try SignedMetadata(bytes: Array(#"{"signed":{},"signed":{},"signatures":[]}"#.utf8)) }
    }
}

/// root-ecdsa-rsa.json: python-tuf 7.0.1 root whose root role needs 2 signatures, one from an
/// ecdsa-sha2-nistp256 key and one from an rsassa-pss-sha256 key.
struct OtherKeyTypeTests {
    @Test func verifiesECDSAAndRSAPSSSignaturesFromPythonTUF() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/root-ecdsa-rsa.json")
        let metadata = try SignedMetadata(bytes: Array(try Data(contentsOf: url)))
        let root = try RootMetadata(metadata.signed)
        #expect(Set(root.keys.values.map(\.scheme)) == ["ecdsa-sha2-nistp256", "rsassa-pss-sha256", "ed25519"])
        #expect(try root.verify(metadata, as: "root") == 2)
    }
}
