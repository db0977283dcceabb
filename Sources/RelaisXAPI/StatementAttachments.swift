import RelaisCore

/// The attachments of statements as a request carries them (xAPI-Data 2.4.11,
/// xAPI-Communication 1.5.2): every attachment without `fileUrl` needs its bytes in a part of
/// the multipart body, named by its sha2; signed statements carry their JWS that way.
public enum StatementAttachments {
    /// The usageType of a signed statement's JWS attachment (xAPI-Data 2.6).
    public static let signatureUsageType = "http://adlnet.gov/expapi/attachments/signature"
    static let signatureAlgorithms: Set<String> = ["RS256", "RS384", "RS512"]

    /// The sha2 of every attachment of the statement (and of a SubStatement object) that has no
    /// fileUrl: the bytes the LRS must hold.
    public static func requiredHashes(_ statement: JSONValue) -> [String] {
        var hashes: [String] = []
        for owner in [statement, statement["object"]?["objectType"] == "SubStatement" ? statement["object"] : nil] {
            for attachment in owner?["attachments"]?.arrayValue ?? [] where attachment["fileUrl"] == nil {
                if let sha2 = attachment["sha2"]?.stringValue { hashes.append(sha2.lowercased()) }
            }
        }
        return hashes
    }

    /// The sha2 of every attachment of the statement, with or without fileUrl.
    public static func hashes(_ statement: JSONValue) -> [String] {
        (statement["attachments"]?.arrayValue ?? []).compactMap { $0["sha2"]?.stringValue?.lowercased() }
    }

    /// Refuses (400) a batch whose attachments and parts do not match: an attachment without
    /// fileUrl and without a part, a part no attachment names, a part whose bytes do not hash
    /// to its X-Experience-API-Hash, a part not sent `binary`. Returns the parts by sha2.
    public static func match(_ statements: [JSONValue], parts: [MultipartPart]) throws(XAPIError) -> [String: MultipartPart] {
        var byHash: [String: MultipartPart] = [:]
        for (i, part) in parts.enumerated() {
            let number = i + 2  // the statements are part 1
            guard let hash = part.headers["x-experience-api-hash"]?.lowercased(), !hash.isEmpty else {
                throw .badRequest("multipart part \(number) has no X-Experience-API-Hash header (the sha2 of its attachment)")
            }
            if let encoding = part.headers["content-transfer-encoding"], encoding.lowercased() != "binary" {
                throw .badRequest("multipart part \(number) has Content-Transfer-Encoding \(encoding): xAPI attachments are sent binary")
            }
            guard let actual = Multipart.sha2(part.body, like: hash) else {
                throw .badRequest("multipart part \(number): X-Experience-API-Hash \(hash) is not a hex SHA-256, SHA-384 or SHA-512")
            }
            guard actual == hash else {
                throw .badRequest("multipart part \(number): its bytes hash to \(actual), not to its X-Experience-API-Hash \(hash)")
            }
            byHash[hash] = part
        }
        var named: Set<String> = []
        for (i, statement) in statements.enumerated() {
            let path = statements.count == 1 ? "statement" : "statements[\(i)]"
            for hash in requiredHashes(statement) where byHash[hash] == nil {
                throw .badRequest(
                    "\(path).attachments: sha2 \(hash) has no fileUrl and no part in the request: send it as multipart/mixed with a part whose X-Experience-API-Hash is \(hash)")
            }
            named.formUnion(hashes(statement))
            named.formUnion(requiredHashes(statement))
            try checkSignature(statement, parts: byHash, path: path)
        }
        if let stray = byHash.keys.sorted().first(where: { !named.contains($0) }) {
            throw .badRequest("multipart part with X-Experience-API-Hash \(stray) is not an attachment of any statement of the request")
        }
        return byHash
    }

    /// A signed statement (xAPI-Data 2.6): its signature attachment must be
    /// application/octet-stream, a JWS in compact serialization signed RS256, RS384 or RS512,
    /// whose payload is this statement (as sent, its attachments aside). The RSA signature itself
    /// is not verified (the LRS is not given the key; xAPI leaves that to the reader).
    static func checkSignature(_ statement: JSONValue, parts: [String: MultipartPart], path: String) throws(XAPIError) {
        for (i, attachment) in (statement["attachments"]?.arrayValue ?? []).enumerated()
        where attachment["usageType"]?.stringValue == signatureUsageType {
            let at = "\(path).attachments[\(i)]"
            guard attachment["contentType"]?.stringValue?.lowercased() == "application/octet-stream" else {
                throw .badRequest("\(at).contentType of a signature must be application/octet-stream")
            }
            guard let hash = attachment["sha2"]?.stringValue?.lowercased(), let part = parts[hash] else {
                throw .badRequest("\(at) is a signature: its JWS must be sent as a part of the multipart body")
            }
            guard let jws = String(validating: part.body, as: UTF8.self) else { throw .badRequest("\(at): the signature is not a JWS (not text)") }
            let segments = String(jws.filter { !$0.isWhitespace }).split(separator: ".", omittingEmptySubsequences: false)
            guard segments.count == 3, let headerBytes = Base64URL.decode(segments[0]), let payloadBytes = Base64URL.decode(segments[1]),
                !segments[2].isEmpty, Base64URL.decode(segments[2]) != nil
            else { throw .badRequest("\(at): the signature is not a JWS in compact serialization (header.payload.signature, base64url)") }
            guard let header = try? JSONValue(parsing: headerBytes), header.objectValue != nil else {
                throw .badRequest("\(at): the JWS header is not a JSON object")
            }
            guard let alg = header["alg"]?.stringValue, signatureAlgorithms.contains(alg) else {
                throw .badRequest("\(at): the JWS alg must be RS256, RS384 or RS512")
            }
            guard let payload = try? JSONValue(parsing: payloadBytes), payload.objectValue != nil else {
                throw .badRequest("\(at): the JWS payload is not a JSON statement")
            }
            let ignored = ["attachments", "authority", "stored", "version"] + (payload["id"] == nil ? ["id"] : [])
            guard payload.removing(ignored) == statement.removing(ignored) else {
                throw .badRequest("\(at): the JWS payload is not this statement (a signed statement must be sent as signed)")
            }
        }
    }
}

/// base64url without padding (RFC 4648 5), as JWS writes it; padding tolerated.
enum Base64URL {
    static func decode(_ text: Substring) -> [UInt8]? {
        var bits: UInt32 = 0
        var count = 0
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 3 / 4)
        for byte in text.utf8 {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "-"), UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "_"), UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            bits = bits << 6 | value
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8(truncatingIfNeeded: bits >> UInt32(count)))
            }
        }
        return count >= 6 ? nil : out
    }
}
