import RelaisContent
import Testing

@Suite(.timeLimit(.minutes(1))) struct ConditionalServingTests {
    static let files = ["app.js": Array("console.log(1)".utf8)]

    private func expectNotModified(_ response: RawResponse, etag: String) {
        #expect(response.status == 304)
        #expect(response.reason == "Not Modified")
        #expect(response.body.isEmpty)
        #expect(response.header("Content-Length") == nil)
        #expect(response.header("ETag") == etag)
        #expect(response.header("Last-Modified") == ContentFixture.lastModifiedText)
        #expect(response.header("Cache-Control") == "public, max-age=31536000, immutable")
        #expect(response.header("Date") != nil)
    }

    @Test func matchingIfNoneMatchIsNotModified() async throws {
        try await withContentServer(files: Self.files) { fixture in
            let etag = fixture.etag("app.js")
            for value in [etag, "W/\(etag)", "\"x\", \(etag)", "*"] {
                expectNotModified(try await fixture.request("GET", ContentFixture.url("app.js"), ["If-None-Match: \(value)"]), etag: etag)
            }
            expectNotModified(try await fixture.request("HEAD", ContentFixture.url("app.js"), ["If-None-Match: \(etag)"]), etag: etag)
        }
    }

    @Test func differentIfNoneMatchSendsTheFileAndWinsOverIfModifiedSince() async throws {
        try await withContentServer(files: Self.files) { fixture in
            let response = try await fixture.request(
                "GET", ContentFixture.url("app.js"),
                ["If-None-Match: \"stale\"", "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT"]
            )
            #expect(response.status == 200)
            #expect(response.bodyText == "console.log(1)")
        }
    }

    @Test func ifModifiedSinceComparesWithLastModified() async throws {
        try await withContentServer(files: Self.files) { fixture in
            let etag = fixture.etag("app.js")
            let url = ContentFixture.url("app.js")
            expectNotModified(try await fixture.request("GET", url, ["If-Modified-Since: \(ContentFixture.lastModifiedText)"]), etag: etag)
            expectNotModified(try await fixture.request("GET", url, ["If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT"]), etag: etag)
            #expect(try await fixture.request("GET", url, ["If-Modified-Since: Sat, 05 Nov 1994 08:49:37 GMT"]).status == 200)
            #expect(try await fixture.request("GET", url, ["If-Modified-Since: whenever"]).status == 200)
        }
    }

    @Test func failedIfMatchIsPreconditionFailed() async throws {
        try await withContentServer(files: Self.files) { fixture in
            let response = try await fixture.request("GET", ContentFixture.url("app.js"), ["If-Match: \"other\""])
            #expect(response.status == 412)
            #expect(response.body.isEmpty)
            #expect(try await fixture.request("GET", ContentFixture.url("app.js"), ["If-Match: \(fixture.etag("app.js"))"]).status == 200)
        }
    }
}
