import Foundation
import RelaisContent
import Testing

@Suite(.timeLimit(.minutes(1))) struct ContentServingTests {
    static let csp = ContentServer.Configuration.defaultContentSecurityPolicy
    let page = Array("<!doctype html><title>Calcul</title>".utf8)

    @Test func servesAFileWithItsRepresentationHeaders() async throws {
        try await withContentServer(files: ["index.html": page]) { fixture in
            let response = try await fixture.request("GET", ContentFixture.url("index.html"))
            #expect(response.status == 200)
            #expect(response.reason == "OK")
            #expect(response.body == page)
            #expect(response.header("Content-Length") == "\(page.count)")
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(response.header("ETag") == fixture.etag("index.html"))
            #expect(response.header("ETag")?.utf8.count == 66)
            #expect(response.header("Last-Modified") == ContentFixture.lastModifiedText)
            #expect(response.header("Cache-Control") == "public, max-age=31536000, immutable")
            #expect(response.header("Accept-Ranges") == "bytes")
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.header("Content-Security-Policy") == Self.csp)
            #expect(response.header("Server") == "relais")
            #expect(response.header("Connection") == "close")
            let date = try #require(response.header("Date"))
            #expect(abs((HTTPDateParsing.parse(date) ?? 0) - Int64(Date().timeIntervalSince1970)) < 5)
        }
    }

    @Test func theDefaultCSPSandboxesTheBundle() {
        #expect(Self.csp.hasPrefix("sandbox allow-scripts allow-same-origin allow-forms allow-pointer-lock; "))
        #expect(!Self.csp.contains("allow-popups") && !Self.csp.contains("allow-modals") && !Self.csp.contains("allow-top-navigation"))
        #expect(Self.csp.hasSuffix("default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; frame-ancestors 'self'"))
    }

    @Test func contentSecurityPolicyIsConfigurable() async throws {
        let configuration = ContentServer.Configuration(contentSecurityPolicy: "sandbox; connect-src http://relais.local:8080")
        try await withContentServer(files: ["a.js": Array("x".utf8)], configuration: configuration) { fixture in
            let response = try await fixture.request("GET", ContentFixture.url("a.js"))
            #expect(response.header("Content-Security-Policy") == "sandbox; connect-src http://relais.local:8080")
            #expect(response.header("Content-Type") == "text/javascript; charset=utf-8")
        }
    }

    @Test func headSendsTheSameHeadersAndNoBody() async throws {
        try await withContentServer(files: ["index.html": page]) { fixture in
            // A HEAD followed by a GET on one connection: a stray body after the HEAD would corrupt the second answer.
            let request = "HEAD \(ContentFixture.url("index.html")) HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET \(ContentFixture.url("index.html")) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
            let responses = try await fixture.exchange(request, bodiless: [true, false])
            #expect(responses.count == 2)
            #expect(responses[0].status == 200)
            #expect(responses[0].body.isEmpty)
            #expect(responses[0].header("Content-Length") == "\(page.count)")
            #expect(responses[0].header("ETag") == fixture.etag("index.html"))
            #expect(responses[1].body == page)
        }
    }

    @Test func unknownBundleVersionOrPathIsNotFound() async throws {
        try await withContentServer(files: ["index.html": page]) { fixture in
            for target in ["/b/fr.other/1.0.0/index.html", "/b/fr.test.demo/2.0.0/index.html", ContentFixture.url("missing.html"), "/", "/b/fr.test.demo/1.0.0/"] {
                let response = try await fixture.request("GET", target)
                #expect(response.status == 404, "\(target)")
                #expect(response.bodyText == "Not found.\n")
                #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
                #expect(response.header("Cache-Control") == "no-cache")
                #expect(response.header("ETag") == nil)
            }
        }
    }

    @Test func headOfAMissingFileHasNoBodyEither() async throws {
        try await withContentServer(files: ["index.html": page]) { fixture in
            let request = "HEAD \(ContentFixture.url("missing.html")) HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET \(ContentFixture.url("index.html")) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
            let responses = try await fixture.exchange(request, bodiless: [true, false])
            #expect(responses.map(\.status) == [404, 200])
            #expect(responses[0].header("Content-Length") == "Not found.\n".utf8.count.description)
            #expect(responses[1].body == page)
        }
    }

    @Test func otherMethodsAreNotAllowed() async throws {
        try await withContentServer(files: ["index.html": page]) { fixture in
            for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
                let response = try await fixture.request(method, ContentFixture.url("index.html"))
                #expect(response.status == 405, "\(method)")
                #expect(response.header("Allow") == "GET, HEAD")
            }
        }
    }

    @Test func requestBodyOfARefusedMethodIsSkippedOnKeepAlive() async throws {
        try await withContentServer(files: ["index.html": page]) { fixture in
            let request = "POST \(ContentFixture.url("index.html")) HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
                + "GET \(ContentFixture.url("index.html")) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
            let responses = try await fixture.exchange(request)
            #expect(responses.map(\.status) == [405, 200])
            #expect(responses[1].body == page)
        }
    }

    @Test func traversalAndBadEncodingAreBadRequests() async throws {
        try await withContentServer(files: ["index.html": page]) { fixture in
            for path in ["../index.html", "a/../../index.html", "%2e%2e/index.html", "%zz.html", "%C3.html", "a%2F..%2Findex.html"] {
                let response = try await fixture.request("GET", ContentFixture.url(path))
                #expect(response.status == 400, "\(path)")
                #expect(response.bodyText == "Bad request: invalid path.\n")
            }
        }
    }

    @Test func malformedRequestLineGetsBadRequestAndClose() async throws {
        try await withContentServer(files: ["index.html": page]) { fixture in
            let responses = try await fixture.exchange("GARBAGE\r\n\r\n")
            #expect(responses.map(\.status) == [400])
            #expect(responses.first?.header("Connection") == "close")
        }
    }

    @Test func http11WithoutHostIsABadRequest() async throws {
        try await withContentServer(files: ["index.html": page]) { fixture in
            let responses = try await fixture.exchange("GET \(ContentFixture.url("index.html")) HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(responses.map(\.status) == [400])
        }
    }

    @Test func folderURLServesItsIndex() async throws {
        try await withContentServer(files: ["index.html": page, "cours/index.html": Array("cours".utf8)]) { fixture in
            let folder = try await fixture.request("GET", ContentFixture.url("cours/"))
            #expect(folder.bodyText == "cours")
            let withoutSlash = try await fixture.request("GET", ContentFixture.url("cours"))
            #expect(withoutSlash.status == 404)
        }
    }

    @Test func percentEncodedPathsAreDecodedBeforeLookup() async throws {
        try await withContentServer(files: ["dossier un/été.txt": Array("oui".utf8)]) { fixture in
            let response = try await fixture.request("GET", ContentFixture.url("dossier%20un/%C3%A9t%C3%A9.txt?x=1"))
            #expect(response.status == 200)
            #expect(response.bodyText == "oui")
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        }
    }

    @Test func unknownExtensionIsOctetStream() async throws {
        try await withContentServer(files: ["data.bin2": [1, 2, 3]]) { fixture in
            let response = try await fixture.request("GET", ContentFixture.url("data.bin2"))
            #expect(response.header("Content-Type") == "application/octet-stream")
        }
    }

    @Test func emptyFileIsAnEmptyOK() async throws {
        try await withContentServer(files: ["empty.txt": []]) { fixture in
            let response = try await fixture.request("GET", ContentFixture.url("empty.txt"))
            #expect(response.status == 200)
            #expect(response.header("Content-Length") == "0")
            #expect(response.body.isEmpty)
            let ranged = try await fixture.request("GET", ContentFixture.url("empty.txt"), ["Range: bytes=0-"])
            #expect(ranged.status == 416)
            #expect(ranged.header("Content-Range") == "bytes */0")
        }
    }
}

/// Test-side access to the origin's date parser.
enum HTTPDateParsing {
    static func parse(_ text: String) -> Int64? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) }
    }
}
