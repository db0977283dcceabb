import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

/// Issue 8: `/xapi/activities/profile` (xAPI-Communication 2.7), `/xapi/activities` (2.5) and
/// `/xapi/agents` (2.6).
struct XAPIActivityProfileTests {
    let activity = encoded("https://relais.invalid/a/1")

    @Test func activityProfilesArePutReadListedMergedAndDeleted() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let uri = "/xapi/activities/profile?activityId=\(activity)&profileId=levels"
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: uri, method: .put, headers: lrs.headers(), body: ByteBuffer(string: #"{"a":1}"#)) { response in
                #expect(response.status == .noContent, "\(String(buffer: response.body))")
            }
            try await client.execute(uri: uri, method: .post, headers: lrs.headers(), body: ByteBuffer(string: #"{"b":2}"#)) { response in
                #expect(response.status == .noContent)
            }
            let etag = try await client.execute(uri: uri, method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"a":1,"b":2}"#)
                #expect(response.headers[.lastModified] != nil)
                return response.headers[.eTag] ?? ""
            }
            #expect(etag.count == 42)
            // Overwriting needs a precondition; a stale one is a 412, the current one works.
            try await client.execute(uri: uri, method: .put, headers: lrs.headers(), body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: uri, method: .put, headers: lrs.headers([.ifMatch: "\"0000000000000000000000000000000000000000\""]), body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .preconditionFailed)
            }
            try await client.execute(uri: uri, method: .put, headers: lrs.headers([.ifMatch: etag]), body: ByteBuffer(string: #"{"c":3}"#)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: uri, method: .put, headers: lrs.headers([.ifNoneMatch: "*"]), body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .preconditionFailed)
            }
            try await client.execute(uri: "/xapi/activities/profile?activityId=\(activity)", method: .get, headers: lrs.headers()) { response in
                #expect(jsonAny(response.body) as? [String] == ["levels"])
            }
            try await client.execute(uri: "/xapi/activities/profile?activityId=\(activity)&since=\(encoded("2999-01-01T00:00:00Z"))", method: .get, headers: lrs.headers()) { response in
                #expect(jsonAny(response.body) as? [String] == [])
            }
            try await client.execute(uri: uri, method: .delete, headers: lrs.headers()) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: uri, method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func activityProfilesNeedAnActivityIRIAndNoAgent() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/activities/profile?profileId=p", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("activityId parameter is required"))
            }
            try await client.execute(uri: "/xapi/activities/profile?activityId=\(activity)&agent=x", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func activitiesAnswerTheirMergedCanonicalDefinition() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let first = #"{"actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://x.y/v"},"object":{"id":"https://relais.invalid/a/1","definition":{"name":{"fr":"Calcul"},"type":"http://x.y/t"}}}"#
        let second = #"{"actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://x.y/v"},"object":{"id":"https://relais.invalid/a/1","definition":{"name":{"en":"Maths"}}}}"#
        try await portalApp(t).test(.router) { client in
            for statement in [first, second] {
                try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: statement)) { response in
                    #expect(response.status == .ok)
                }
            }
            try await client.execute(uri: "/xapi/activities?activityId=\(activity)", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .ok)
                let object = jsonAny(response.body) as? [String: Any]
                #expect(object?["objectType"] as? String == "Activity")
                #expect(object?["id"] as? String == "https://relais.invalid/a/1")
                let definition = object?["definition"] as? [String: Any]
                #expect(definition?["name"] as? [String: String] == ["fr": "Calcul", "en": "Maths"])
                #expect(definition?["type"] as? String == "http://x.y/t")
            }
            // An Activity no statement defined: just its id.
            try await client.execute(uri: "/xapi/activities?activityId=\(encoded("https://relais.invalid/unknown"))", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .ok)
                #expect((jsonAny(response.body) as? [String: String]) == ["objectType": "Activity", "id": "https://relais.invalid/unknown"])
            }
        }
    }

    @Test func agentsAnswerThePersonObject() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: statementJSON())) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/xapi/agents?agent=\(encoded(#"{"mbox":"mailto:lea@example.fr"}"#))", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let person = jsonAny(response.body) as? [String: Any]
                #expect(person?["objectType"] as? String == "Person")
                #expect(person?["mbox"] as? [String] == ["mailto:lea@example.fr"])
                #expect(person?["name"] as? [String] == ["Léa"])
            }
            try await client.execute(uri: "/xapi/agents", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
