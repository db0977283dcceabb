import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RelaisCore
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

struct XAPIStatementTests {
    let id = "6fbd600f-d17c-4c74-801a-2ec2e53231c9"

    @Test func aboutNeedsNeitherCredentialsNorVersion() async throws {
        let t = try TestBox()
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/about", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[versionHeader] == "1.0.3")
                #expect((jsonAny(response.body) as? [String: Any])?["version"] as? [String] == ["1.0.3"])
            }
        }
    }

    @Test func anUnknownXAPIPathIsA404ThatStillSendsTheVersion() async throws {
        let t = try TestBox()
        let xapi = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/activities/unknown", method: .get, headers: xapi.headers()) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[versionHeader] == "1.0.3")
            }
            // Known resources are not shadowed by the catch-all, and answer HEAD like GET.
            try await client.execute(uri: "/xapi/statements", method: .get, headers: xapi.headers()) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/xapi/statements", method: .head, headers: xapi.headers()) { response in
                #expect(response.status == .ok)
                #expect(response.headers[versionHeader] == "1.0.3")
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test func credentialsAreRequired() async throws {
        let t = try TestBox()
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/statements", method: .get, headers: [versionHeader: "1.0.3"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
                #expect(response.headers[versionHeader] == "1.0.3")
            }
            let wrong = XAPIClient(key: "nobody", secret: "x")
            try await client.execute(uri: "/xapi/statements", method: .get, headers: wrong.headers()) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func theVersionHeaderIsRequired() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/statements", method: .get, headers: lrs.headers(version: false)) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("X-Experience-API-Version header is required"))
            }
            var old = lrs.headers()
            old[versionHeader] = "0.95"
            try await client.execute(uri: "/xapi/statements", method: .get, headers: old) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func putThenGetThenConflict() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/statements?statementId=\(id)", method: .put, headers: lrs.headers(), body: ByteBuffer(string: statementJSON())) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[versionHeader] == "1.0.3")
            }
            // Sent again: a no-op.
            try await client.execute(uri: "/xapi/statements?statementId=\(id)", method: .put, headers: lrs.headers(), body: ByteBuffer(string: statementJSON())) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/xapi/statements?statementId=\(id)", method: .put, headers: lrs.headers(),
                body: ByteBuffer(string: statementJSON(verb: "http://adlnet.gov/expapi/verbs/failed"))) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/xapi/statements?statementId=\(id)", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("X-Experience-API-Consistent-Through")!] != nil)
                let statement = jsonAny(response.body) as? [String: Any]
                #expect(statement?["id"] as? String == id)
                #expect(statement?["version"] as? String == "1.0.3")
                #expect(statement?["stored"] != nil && statement?["timestamp"] != nil && statement?["authority"] != nil)
            }
            try await client.execute(uri: "/xapi/statements?statementId=\(id.replacingOccurrences(of: "6", with: "7"))", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func aBadStatementIsA400NamingTheField() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            let batch = "[\(statementJSON()),\(statementJSON(verb: "completed"))]"
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: batch)) { response in
                #expect(response.status == .badRequest)
                #expect((jsonAny(response.body) as? [String: Any])?["message"] as? String == "statements[1].verb.id is not an IRI")
            }
            try await client.execute(uri: "/xapi/statements", method: .get, headers: lrs.headers()) { response in
                #expect(((jsonAny(response.body) as? [String: Any])?["statements"] as? [Any])?.count == 0)
            }
            try await client.execute(uri: "/xapi/statements?verbe=x", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func postABatchVoidOneAndFetchItAsVoided() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            let ids = try await client.execute(
                uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: "[\(statementJSON(id: id)),\(statementJSON())]")
            ) { response in
                #expect(response.status == .ok)
                return jsonAny(response.body) as? [String] ?? []
            }
            #expect(ids.count == 2 && ids.first == id)
            let voiding = #"{"actor":{"mbox":"mailto:prof@example.fr"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},"object":{"objectType":"StatementRef","id":"\#(id)"}}"#
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: voiding)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/xapi/statements?statementId=\(id)", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/xapi/statements?voidedStatementId=\(id)", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .ok)
                #expect((jsonAny(response.body) as? [String: Any])?["id"] as? String == id)
            }
        }
    }

    @Test func pagesFollowMore() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            let batch = "[" + (0..<5).map { _ in statementJSON(mbox: "mailto:a@x.fr") }.joined(separator: ",") + "," + statementJSON(mbox: "mailto:b@x.fr") + "]"
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: batch)) { _ in }
            var uri = "/xapi/statements?limit=2&agent=\(encoded(#"{"mbox":"mailto:a@x.fr"}"#))"
            var total = 0
            var pages = 0
            while !uri.isEmpty {
                uri = try await client.execute(uri: uri, method: .get, headers: lrs.headers()) { response in
                    #expect(response.status == .ok)
                    let page = jsonAny(response.body) as? [String: Any]
                    total += (page?["statements"] as? [Any])?.count ?? 0
                    pages += 1
                    return page?["more"] as? String ?? ""
                }
            }
            #expect(total == 5)
            #expect(pages == 3)
        }
    }

    @Test func aLaunchCredentialWritesOnlyAsItsActor() async throws {
        let t = try TestBox()
        let actor: JSONValue = ["objectType": "Agent", "account": ["homePage": "https://relais.invalid/0750654D", "name": "guest-1"]]
        let registration = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"
        let credential = try t.box.addLaunchCredential(actor: actor, registration: registration, expiresAt: nil)
        let lrs = XAPIClient(key: credential.key, secret: credential.secret)
        let own = #"{"actor":{"account":{"homePage":"https://relais.invalid/0750654D","name":"guest-1"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/initialized"},"object":{"id":"https://relais.invalid/a/1"},"context":{"registration":"\#(registration)"}}"#
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: own)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: statementJSON())) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("statement.actor is not the actor of this launch"))
            }
        }
    }

    @Test func preflightAndCORSEchoTheOrigin() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            let preflight: HTTPFields = [.origin: "http://relais.local:8081", .accessControlRequestMethod: "POST",
                .accessControlRequestHeaders: "authorization,content-type,x-experience-api-version"]
            try await client.execute(uri: "/xapi/statements", method: .options, headers: preflight) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "http://relais.local:8081")
                #expect(response.headers[.accessControlAllowHeaders]?.contains("X-Experience-API-Version") == true)
                #expect(response.headers[.accessControlAllowMethods]?.contains("PUT") == true)
            }
            var headers = lrs.headers()
            headers[.origin] = "http://10.0.0.2:8081"
            try await client.execute(uri: "/xapi/statements", method: .get, headers: headers) { response in
                #expect(response.headers[.accessControlAllowOrigin] == "http://10.0.0.2:8081")
                #expect(response.headers[.accessControlExposeHeaders]?.contains("X-Experience-API-Consistent-Through") == true)
            }
        }
    }
}
