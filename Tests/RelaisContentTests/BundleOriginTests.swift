import Foundation
import RelaisContent
import RelaisCore
import Testing

/// Each bundle on an origin of its own: its port serves its files and nothing of another
/// bundle's; the shared port sends `/b/{id}/…` on to the bundle's own origin.
@Suite(.timeLimit(.minutes(1))) struct BundleOriginTests {
    static let other = "fr.test.autre"
    let page = Array("<!doctype html><title>Calcul</title>".utf8)

    /// The fixture's bundle plus a second one, with an origin each.
    func withTwoBundles(_ body: (ContentFixture, Int) async throws -> Void) async throws {
        let second = try PreparedBundle(files: ["secret.html": Array("autre".utf8)])
        defer { second.remove() }
        let extra = Dictionary(uniqueKeysWithValues: second.files.map { ("\(Self.other)/1.0.0/\($0.key)", $0.value) })
        var configuration = ContentServer.Configuration()
        configuration.builtinPages = ["/_relais/p.html": BuiltinPage(body: "player", contentSecurityPolicy: "default-src 'none'")]
        try await withContentServer(files: ["index.html": page], configuration: configuration, extraCatalog: extra) { fixture in
            let ports = try await fixture.server.openBundleOrigins([Self.other: 0])
            let otherPort = try #require(ports[Self.other])
            #expect(otherPort != fixture.port && otherPort != fixture.sharedPort)
            try await body(fixture, otherPort)
        }
    }

    func get(port: Int, _ target: String, host: String = "box.test") async throws -> RawResponse {
        let raw = try await RawHTTPClient.exchange(port: port, "GET \(target) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
        return try RawResponse.parseOne(raw)
    }

    @Test func aBundlesPortServesItsOwnFilesOnly() async throws {
        try await withTwoBundles { fixture, otherPort in
            #expect(try await get(port: fixture.port, ContentFixture.url("index.html")).status == 200)
            #expect(try await get(port: otherPort, "/b/\(Self.other)/1.0.0/secret.html").body == Array("autre".utf8))
            // Neither origin hands out the other bundle's files, whatever the URL says.
            let crossed = try await get(port: fixture.port, "/b/\(Self.other)/1.0.0/secret.html")
            #expect(crossed.status == 404)
            #expect(crossed.body != Array("autre".utf8))
            #expect(try await get(port: otherPort, ContentFixture.url("index.html")).status == 404)
        }
    }

    @Test func theSharedPortRedirectsToTheBundlesOwnOriginAndServesNoBundle() async throws {
        try await withTwoBundles { fixture, otherPort in
            let moved = try await get(port: fixture.sharedPort, ContentFixture.url("index.html") + "?a=1", host: "relais.local:8081")
            #expect(moved.status == 307)
            #expect(moved.header("Location") == "http://relais.local:\(fixture.port)\(ContentFixture.url("index.html"))?a=1")
            #expect(moved.body != page)
            let other = try await get(port: fixture.sharedPort, "/b/\(Self.other)/1.0.0/secret.html", host: "10.0.0.2:8081")
            #expect(other.header("Location") == "http://10.0.0.2:\(otherPort)/b/\(Self.other)/1.0.0/secret.html")
            // A bundle without an origin, or a Host that is not a host name, gets no redirect.
            #expect(try await get(port: fixture.sharedPort, "/b/fr.inconnu/1.0.0/index.html").status == 404)
            let odd = try await get(port: fixture.sharedPort, ContentFixture.url("index.html"), host: "evil\"><x")
            #expect(odd.status == 404)
            #expect(odd.header("Location") == nil)
        }
    }

    @Test func builtInPagesAreServedOnEveryOrigin() async throws {
        try await withTwoBundles { fixture, otherPort in
            for port in [fixture.sharedPort, fixture.port, otherPort] {
                let answer = try await get(port: port, "/_relais/p.html")
                #expect(answer.status == 200)
                #expect(answer.body == Array("player".utf8))
            }
        }
    }

    @Test func aBundleOriginIsOpenedOnceAndKeepsItsPort() async throws {
        try await withContentServer(files: ["index.html": page]) { fixture in
            let again = try await fixture.server.openBundleOrigins([ContentFixture.bundleID: 0])
            #expect(again[ContentFixture.bundleID] == fixture.port)
            #expect(fixture.server.bundleOrigins.port(of: ContentFixture.bundleID) == fixture.port)
        }
    }
}
