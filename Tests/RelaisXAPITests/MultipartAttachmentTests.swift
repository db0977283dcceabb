import Foundation
import RelaisCore
import RelaisXAPI
import Testing

/// base64url without padding, as JWS writes it.
func base64url(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

func sha256Hex(_ bytes: [UInt8]) -> String { Multipart.sha2(bytes, like: String(repeating: "0", count: 64))! }

struct MultipartAttachmentTests {
    let content = Array("hello attachment".utf8)

    func statement(sha2: String, usageType: String = "http://x.y/usage", contentType: String = "text/plain") -> JSONValue {
        [
            "actor": ["mbox": "mailto:a@b.c"], "verb": ["id": "http://x.y/v"], "object": ["id": "http://x.y/o"],
            "attachments": [
                ["usageType": .string(usageType), "display": ["en": "a"], "contentType": .string(contentType), "length": 16, "sha2": .string(sha2)]
            ],
        ]
    }

    @Test func partsAreSplitOnTheBoundary() throws {
        let body = Array("preamble\r\n--xyz\r\nContent-Type: application/json\r\n\r\n[1]\r\n--xyz\r\nX-Experience-API-Hash: ab\r\n\r\nbin\r\nary\r\n--xyz--\r\n".utf8)
        let parts = try Multipart.parse(body, boundary: "xyz")
        #expect(parts.count == 2)
        #expect(parts[0].headers["content-type"] == "application/json")
        #expect(Array(parts[0].body) == Array("[1]".utf8))
        #expect(Array(parts[1].body) == Array("bin\r\nary".utf8))
        #expect(Multipart.boundary(ofContentType: #"multipart/mixed; boundary="a b""#) == "a b")
    }

    @Test func renderedBodiesParseBack() throws {
        let body = Multipart.render([([("Content-Type", "application/json")], Array("{}".utf8)[...]), ([("X-A", "1")], content[...])], boundary: "b0")
        let parts = try Multipart.parse(body, boundary: "b0")
        #expect(parts.map { Array($0.body) } == [Array("{}".utf8), content])
    }

    @Test func anUnclosedBodyIsRefused() {
        #expect(throws: XAPIError.self) { try Multipart.parse(Array("--b\r\n\r\nx".utf8), boundary: "b") }
    }

    @Test func everyAttachmentWithoutFileUrlNeedsItsPart() throws {
        let hash = sha256Hex(content)
        let part = MultipartPart(headers: ["x-experience-api-hash": hash, "content-transfer-encoding": "binary"], body: content)
        #expect(try StatementAttachments.match([statement(sha2: hash)], parts: [part]).keys.sorted() == [hash])
        #expect(throws: XAPIError.self) { try StatementAttachments.match([statement(sha2: hash)], parts: []) }
        // Bytes that do not hash to the header, and a part no statement names, are refused.
        let wrong = MultipartPart(headers: ["x-experience-api-hash": hash], body: Array("other".utf8))
        #expect(throws: XAPIError.self) { try StatementAttachments.match([statement(sha2: hash)], parts: [wrong]) }
        let otherHash = sha256Hex(Array("other".utf8))
        let stray = MultipartPart(headers: ["x-experience-api-hash": otherHash], body: Array("other".utf8))
        #expect(throws: XAPIError.self) { try StatementAttachments.match([statement(sha2: hash)], parts: [part, stray]) }
    }

    func signed(_ payload: JSONValue, alg: String = "RS256") -> (statement: JSONValue, part: MultipartPart) {
        let jws = base64url(JSONValue.object(["alg": .string(alg)]).serialized()) + "." + base64url(payload.serialized()) + "." + base64url(Array(repeating: 7, count: 256))
        let bytes = Array(jws.utf8)
        let hash = sha256Hex(bytes)
        let statement = payload.setting(
            "attachments",
            to: [["usageType": .string(StatementAttachments.signatureUsageType), "display": ["en": "signature"], "contentType": "application/octet-stream",
                "length": .integer(Int64(bytes.count)), "sha2": .string(hash)]])
        return (statement, MultipartPart(headers: ["x-experience-api-hash": hash], body: bytes))
    }

    @Test func aSignedStatementIsAcceptedWhenItsPayloadIsTheStatement() throws {
        let original: JSONValue = ["actor": ["mbox": "mailto:a@b.c"], "verb": ["id": "http://x.y/v"], "object": ["id": "http://x.y/o"]]
        let (statement, part) = signed(original)
        #expect(try StatementAttachments.match([statement], parts: [part]).count == 1)
    }

    @Test func malformedSignaturesAreRefused() throws {
        let original: JSONValue = ["actor": ["mbox": "mailto:a@b.c"], "verb": ["id": "http://x.y/v"], "object": ["id": "http://x.y/o"]]
        // Another algorithm than RS256/384/512.
        let hs = signed(original, alg: "HS256")
        #expect(throws: XAPIError.self) { try StatementAttachments.match([hs.statement], parts: [hs.part]) }
        // A payload that is not this statement.
        let other = signed(original)
        let changed = other.statement.setting("verb", to: ["id": "http://x.y/other"])
        #expect(throws: XAPIError.self) { try StatementAttachments.match([changed], parts: [other.part]) }
        // Not a JWS at all.
        let junk = Array("not a jws".utf8)
        let junkStatement = statement(sha2: sha256Hex(junk), usageType: StatementAttachments.signatureUsageType, contentType: "application/octet-stream")
        #expect(throws: XAPIError.self) {
            try StatementAttachments.match([junkStatement], parts: [MultipartPart(headers: ["x-experience-api-hash": sha256Hex(junk)], body: junk)])
        }
    }
}
