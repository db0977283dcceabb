import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

/// Issue 8: statements with attachments (multipart/mixed), signed statements, `format`,
/// `attachments=true`, `related_activities` / `related_agents`.
struct XAPIAttachmentTests {
    let content = Array("a PDF, say".utf8)
    var hash: String { SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined() }

    func statement(id: String = "9f3d3e6f-5c1a-4a3e-9a8e-2b1c4d5e6f70") -> String {
        #"{"id":"\#(id)","actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://x.y/v"},"object":{"id":"https://relais.invalid/a/1"},"attachments":[{"usageType":"http://x.y/u","display":{"en":"a"},"contentType":"application/pdf","length":\#(content.count),"sha2":"\#(hash)"}]}"#
    }

    func multipart(_ json: String, parts: [(hash: String, bytes: [UInt8])]) -> ByteBuffer {
        var body = Array("--b1\r\nContent-Type: application/json\r\n\r\n\(json)\r\n".utf8)
        for part in parts {
            body += Array("--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: \(part.hash)\r\n\r\n".utf8)
            body += part.bytes + Array("\r\n".utf8)
        }
        body += Array("--b1--\r\n".utf8)
        return ByteBuffer(bytes: body)
    }

    @Test func attachmentsArePostedAsMultipartAndReadBack() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let headers = lrs.headers([.contentType: "multipart/mixed; boundary=b1"])
        try await portalApp(t).test(.router) { client in
            // Without its part the attachment is refused, saying how to send it.
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: statement())) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("multipart/mixed"))
            }
            try await client.execute(uri: "/xapi/statements", method: .post, headers: headers, body: multipart(statement(), parts: [(hash, content)])) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            try await client.execute(
                uri: "/xapi/statements?statementId=9f3d3e6f-5c1a-4a3e-9a8e-2b1c4d5e6f70&attachments=true", method: .get, headers: lrs.headers()
            ) { response in
                #expect(response.status == .ok)
                let type = response.headers[.contentType] ?? ""
                #expect(type.hasPrefix("multipart/mixed; boundary="))
                let parts = try Multipart.parse(Array(response.body.readableBytesView), boundary: Multipart.boundary(ofContentType: type) ?? "")
                #expect(parts.count == 2)
                #expect(parts[0].headers["content-type"] == "application/json")
                #expect(parts[1].headers["x-experience-api-hash"] == hash)
                #expect(parts[1].headers["content-transfer-encoding"] == "binary")
                #expect(Array(parts[1].body) == content)
            }
            try await client.execute(uri: "/xapi/statements?attachments=true", method: .get, headers: lrs.headers()) { response in
                #expect(response.headers[.contentType]?.hasPrefix("multipart/mixed") == true)
            }
            // A part whose bytes do not match its hash.
            try await client.execute(
                uri: "/xapi/statements", method: .post, headers: headers,
                body: multipart(statement(id: "0f3d3e6f-5c1a-4a3e-9a8e-2b1c4d5e6f70"), parts: [(hash, Array("tampered".utf8))])
            ) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func signedStatementsAreKeptAsSentAndBadSignaturesRefused() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let original = #"{"actor":{"mbox":"mailto:a@b.c"},"id":"1f3d3e6f-5c1a-4a3e-9a8e-2b1c4d5e6f70","object":{"id":"https://relais.invalid/a/1"},"verb":{"id":"http://x.y/v"}}"#
        @Sendable func jws(_ alg: String, _ payload: String) -> [UInt8] {
            func b64(_ s: [UInt8]) -> String {
                Data(s).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            }
            return Array((b64(Array(#"{"alg":"\#(alg)"}"#.utf8)) + "." + b64(Array(payload.utf8)) + "." + b64(Array(repeating: 1, count: 256))).utf8)
        }
        @Sendable func signed(_ signature: [UInt8], verb: String = "http://x.y/v") -> (String, String) {
            let sha = SHA256.hash(data: signature).map { String(format: "%02x", $0) }.joined()
            let json = #"{"actor":{"mbox":"mailto:a@b.c"},"id":"1f3d3e6f-5c1a-4a3e-9a8e-2b1c4d5e6f70","object":{"id":"https://relais.invalid/a/1"},"verb":{"id":"\#(verb)"},"attachments":[{"usageType":"http://adlnet.gov/expapi/attachments/signature","display":{"en":"signature"},"contentType":"application/octet-stream","length":\#(signature.count),"sha2":"\#(sha)"}]}"#
            return (json, sha)
        }
        let headers = lrs.headers([.contentType: "multipart/mixed; boundary=b1"])
        try await portalApp(t).test(.router) { client in
            for bad in [jws("HS256", original), Array("no.jws".utf8)] {
                let (json, sha) = signed(bad)
                try await client.execute(uri: "/xapi/statements", method: .post, headers: headers, body: multipart(json, parts: [(sha, bad)])) { response in
                    #expect(response.status == .badRequest, "\(String(buffer: response.body))")
                }
            }
            let (mismatch, mismatchSha) = signed(jws("RS256", original), verb: "http://x.y/other")
            try await client.execute(uri: "/xapi/statements", method: .post, headers: headers, body: multipart(mismatch, parts: [(mismatchSha, jws("RS256", original))])) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("payload is not this statement"))
            }
            let good = jws("RS256", original)
            let (json, sha) = signed(good)
            try await client.execute(uri: "/xapi/statements", method: .post, headers: headers, body: multipart(json, parts: [(sha, good)])) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            try await client.execute(
                uri: "/xapi/statements?statementId=1f3d3e6f-5c1a-4a3e-9a8e-2b1c4d5e6f70&attachments=true", method: .get, headers: lrs.headers()
            ) { response in
                let type = response.headers[.contentType] ?? ""
                let parts = try Multipart.parse(Array(response.body.readableBytesView), boundary: Multipart.boundary(ofContentType: type) ?? "")
                #expect(parts.last.map { Array($0.body) } == good)
            }
        }
    }

    @Test func formatsShapeTheStatements() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let json = #"{"id":"2f3d3e6f-5c1a-4a3e-9a8e-2b1c4d5e6f70","actor":{"mbox":"mailto:a@b.c","name":"Léa"},"verb":{"id":"http://x.y/v","display":{"en-US":"did","fr-FR":"a fait"}},"object":{"id":"https://relais.invalid/a/1","definition":{"name":{"en":"Maths","fr":"Calcul"}}}}"#
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: json)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/xapi/statements?format=ids", method: .get, headers: lrs.headers()) { response in
                let statement = ((jsonAny(response.body) as? [String: Any])?["statements"] as? [[String: Any]])?.first
                #expect(statement?["actor"] as? [String: String] == ["objectType": "Agent", "mbox": "mailto:a@b.c"])
                #expect(statement?["verb"] as? [String: String] == ["id": "http://x.y/v"])
                #expect(statement?["object"] as? [String: String] == ["objectType": "Activity", "id": "https://relais.invalid/a/1"])
            }
            try await client.execute(
                uri: "/xapi/statements?statementId=2f3d3e6f-5c1a-4a3e-9a8e-2b1c4d5e6f70&format=canonical", method: .get,
                headers: lrs.headers([.acceptLanguage: "fr-FR, en;q=0.5"])
            ) { response in
                let statement = jsonAny(response.body) as? [String: Any]
                #expect((statement?["verb"] as? [String: Any])?["display"] as? [String: String] == ["fr-FR": "a fait"])
                #expect(((statement?["object"] as? [String: Any])?["definition"] as? [String: Any])?["name"] as? [String: String] == ["fr": "Calcul"])
                #expect((statement?["actor"] as? [String: String])?["name"] == "Léa")
            }
            // The cursor carries the format to the next page.
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: statementJSON())) { response in
                #expect(response.status == .ok)
            }
            let more = try await client.execute(uri: "/xapi/statements?format=ids&limit=1", method: .get, headers: lrs.headers()) { response in
                (jsonAny(response.body) as? [String: Any])?["more"] as? String ?? ""
            }
            try await client.execute(uri: more, method: .get, headers: lrs.headers()) { response in
                let statement = ((jsonAny(response.body) as? [String: Any])?["statements"] as? [[String: Any]])?.first
                #expect((statement?["actor"] as? [String: String])?["name"] == nil)
            }
        }
    }

    @Test func relatedActivitiesAndAgentsLookInsideTheStatement() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let json = #"{"actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://x.y/v"},"object":{"id":"https://relais.invalid/a/1"},"context":{"instructor":{"mbox":"mailto:teacher@b.c"},"contextActivities":{"parent":[{"id":"https://relais.invalid/course"}]}}}"#
        @Sendable func count(_ client: some TestClientProtocol, _ query: String) async throws -> Int {
            try await client.execute(uri: "/xapi/statements?" + query, method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                return ((jsonAny(response.body) as? [String: Any])?["statements"] as? [Any])?.count ?? -1
            }
        }
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: json)) { response in
                #expect(response.status == .ok)
            }
            let course = encoded("https://relais.invalid/course")
            let teacher = encoded(#"{"mbox":"mailto:teacher@b.c"}"#)
            #expect(try await count(client, "activity=\(course)") == 0)
            #expect(try await count(client, "activity=\(course)&related_activities=true") == 1)
            #expect(try await count(client, "agent=\(teacher)") == 0)
            #expect(try await count(client, "agent=\(teacher)&related_agents=true") == 1)
        }
    }
}
