import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

/// A query value as HTML forms (Python's urlencode, Java's URLEncoder) encode it: space as `+`.
func formEncoded(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(" ")
    return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: " ", with: "+")
}

/// Issue 8, item 1: every LRS parameter is read with `+` as a space.
struct XAPIFormEncodingTests {
    // json.dumps writes ", " and ": ": the spaces become `+`.
    let agent = #"{"objectType": "Agent", "account": {"homePage": "https://relais.invalid/0750654D", "name": "guest 1"}}"#
    let activity = "https://relais.invalid/a/1"

    @Test func documentsTakeAFormEncodedAgent() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let uri = "/xapi/activities/state?activityId=\(formEncoded(activity))&agent=\(formEncoded(agent))&stateId=\(formEncoded("my state"))"
        #expect(uri.contains("+"))
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: uri, method: .put, headers: lrs.headers(), body: ByteBuffer(string: #"{"a":1}"#)) { response in
                #expect(response.status == .noContent, "\(String(buffer: response.body))")
            }
            // The same document through %20: the + was a space, and the account name keeps its space.
            let percent = "/xapi/activities/state?activityId=\(encoded(activity))&agent=\(encoded(agent))&stateId=my%20state"
            try await client.execute(uri: percent, method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"a":1}"#)
            }
            try await client.execute(uri: "/xapi/agents/profile?agent=\(formEncoded(agent))&profileId=p+1", method: .put, headers: lrs.headers(), body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .noContent, "\(String(buffer: response.body))")
            }
            try await client.execute(uri: "/xapi/agents/profile?agent=\(formEncoded(agent))", method: .get, headers: lrs.headers()) { response in
                #expect(jsonAny(response.body) as? [String] == ["p 1"])
            }
        }
    }

    @Test func statementQueriesTakeAFormEncodedAgentAndSince() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let statement = #"{"actor": {"objectType": "Agent", "account": {"homePage": "https://relais.invalid/0750654D", "name": "guest 1"}}, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}, "object": {"id": "https://relais.invalid/a/1"}}"#
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: ByteBuffer(string: statement)) { response in
                #expect(response.status == .ok)
            }
            // Python's str(datetime) as `since`: a space for the T, the offset's + encoded.
            let uri = "/xapi/statements?agent=\(formEncoded(agent))&since=\(formEncoded("2020-01-01 00:00:00+00:00"))&ascending=True"
            try await client.execute(uri: uri, method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(((jsonAny(response.body) as? [String: Any])?["statements"] as? [Any])?.count == 1)
            }
        }
    }

    @Test func malformedEncodingIsA400NamingTheParameter() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/statements?agent=%7", method: .get, headers: lrs.headers()) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("the agent parameter is not valid form encoding"))
            }
        }
    }
}
