import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RelaisCore
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

struct XAPIDocumentTests {
    let agent = encoded(#"{"objectType":"Agent","account":{"homePage":"https://relais.invalid/0750654D","name":"guest-1"}}"#)
    let registration = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"

    var stateURI: String {
        "/xapi/activities/state?activityId=\(encoded("https://relais.invalid/a/1"))&agent=\(agent)&registration=\(registration)"
    }

    @Test func stateIsPutMergedListedAndDeleted() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: stateURI + "&stateId=LMS.LaunchData", method: .put, headers: lrs.headers(), body: ByteBuffer(string: #"{"a":1}"#)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: stateURI + "&stateId=LMS.LaunchData", method: .post, headers: lrs.headers(), body: ByteBuffer(string: #"{"b":2}"#)) { response in
                #expect(response.status == .noContent)
            }
            let etag = try await client.execute(uri: stateURI + "&stateId=LMS.LaunchData", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"a":1,"b":2}"#)
                #expect(response.headers[.contentType] == "application/json")
                return response.headers[.eTag] ?? ""
            }
            #expect(etag.hasPrefix("\"") && etag.count == 42)
            try await client.execute(uri: stateURI + "&stateId=LMS.LaunchData", method: .post, headers: lrs.headers(), body: ByteBuffer(string: "[1]")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: stateURI, method: .get, headers: lrs.headers()) { response in
                #expect(jsonAny(response.body) as? [String] == ["LMS.LaunchData"])
            }
            try await client.execute(uri: stateURI, method: .delete, headers: lrs.headers()) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: stateURI + "&stateId=LMS.LaunchData", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func stateNeedsAnActivityIRIAndAnAgent() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/activities/state?activityId=x&agent=\(agent)&stateId=s", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("activityId is not an IRI"))
            }
            try await client.execute(uri: "/xapi/activities/state?activityId=\(encoded("https://x.y"))&agent=\(encoded(#"{"name":"x"}"#))", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("agent must have exactly one"))
            }
        }
    }

    @Test func agentProfilesHonourETagPreconditions() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let uri = "/xapi/agents/profile?agent=\(agent)&profileId=cmi5LearnerPreferences"
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: uri, method: .put, headers: lrs.headers([.ifNoneMatch: "*"]), body: ByteBuffer(string: #"{"languagePreference":"fr-FR"}"#)) { response in
                #expect(response.status == .noContent)
            }
            // Exists now: a second If-None-Match: * fails, an unconditional PUT is a conflict.
            try await client.execute(uri: uri, method: .put, headers: lrs.headers([.ifNoneMatch: "*"]), body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .preconditionFailed)
            }
            try await client.execute(uri: uri, method: .put, headers: lrs.headers(), body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .conflict)
            }
            let etag = try await client.execute(uri: uri, method: .get, headers: lrs.headers()) { response in response.headers[.eTag] ?? "" }
            try await client.execute(uri: uri, method: .put, headers: lrs.headers([.ifMatch: "\"0000\""]), body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .preconditionFailed)
            }
            try await client.execute(uri: uri, method: .put, headers: lrs.headers([.ifMatch: etag]), body: ByteBuffer(string: #"{"audioPreference":"on"}"#)) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/xapi/agents/profile?agent=\(agent)", method: .get, headers: lrs.headers()) { response in
                #expect(jsonAny(response.body) as? [String] == ["cmi5LearnerPreferences"])
            }
        }
    }

    @Test func aLaunchReadsOnlyItsOwnActorsState() async throws {
        let t = try TestBox()
        let actor: JSONValue = ["objectType": "Agent", "account": ["homePage": "https://relais.invalid/0750654D", "name": "guest-2"]]
        let credential = try t.box.addLaunchCredential(actor: actor, registration: registration, expiresAt: nil)
        let lrs = XAPIClient(key: credential.key, secret: credential.secret)
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: stateURI + "&stateId=s", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .forbidden)
            }
        }
    }
}
