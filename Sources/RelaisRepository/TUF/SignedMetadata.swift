import RelaisCore

/// A TUF metadata file: `signed` (what signatures cover, in canonical form) and `signatures`.
public struct SignedMetadata: Sendable {
    /// The `signed` object.
    public let signed: JSONValue
    /// The bytes signatures are over: `signed` in canonical JSON.
    public let signedBytes: [UInt8]
    /// `(keyid, sig)` pairs as listed; each keyid appears once (a file repeating one is refused).
    public let signatures: [(keyID: String, signature: String)]

    /// Parses a metadata file strictly (duplicate keys and floats refused).
    public init(bytes: [UInt8]) throws(TUFError) {
        let json: JSONValue
        do { json = try JSONValue(parsing: bytes, numbers: .integersOnly) } catch { throw .json(error.description) }
        guard let signed = json["signed"], case .object = signed else { throw .malformed("no `signed` object") }
        guard case .array(let list)? = json["signatures"] else { throw .malformed("no `signatures` list") }
        var signatures: [(String, String)] = []
        var seen = Set<String>()
        for entry in list {
            guard case .string(let keyID)? = entry["keyid"], case .string(let sig)? = entry["sig"] else {
                throw .malformed("a signature lacks keyid or sig")
            }
            // §4.2: keyids in `signatures` MUST be unique; a repeat makes the whole file invalid
            // (counting it once would accept what python-tuf and the spec refuse).
            guard seen.insert(keyID).inserted else { throw .duplicateSignature(keyID: keyID) }
            signatures.append((keyID, sig))
        }
        self.signed = signed
        self.signedBytes = signed.canonicalBytes()
        self.signatures = signatures
    }

    /// Counts the distinct keys among `keyIDs` with a valid signature, and throws below
    /// `threshold`.
    @discardableResult
    public func verify(role: String, keyIDs: [String], threshold: Int, keys: [String: TUFKey]) throws(TUFError) -> Int {
        let allowed = Set(keyIDs)
        var valid = Set<String>()
        for (keyID, signature) in signatures where allowed.contains(keyID) && !valid.contains(keyID) {
            if let key = keys[keyID], key.isValidSignature(signature, of: signedBytes) { valid.insert(keyID) }
        }
        guard threshold >= 1, valid.count >= threshold else {
            throw .belowThreshold(role: role, valid: valid.count, threshold: threshold)
        }
        return valid.count
    }
}
