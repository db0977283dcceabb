import Testing

@testable import RelaisContent

@Suite struct RequestHeadParserTests {
    private func parse(_ text: String, resumeAt: Int = 0) -> RequestHeadParser.Outcome {
        Array(text.utf8).withUnsafeBytes { RequestHeadParser.parse($0, resumeAt: resumeAt) }
    }

    private func request(_ text: String) throws -> ContentRequest {
        guard case .complete(let request, _) = parse(text) else {
            Issue.record("expected a complete head: \(parse(text))")
            throw RequestHeadError.malformed("test")
        }
        return request
    }

    @Test func parsesARequestLineAndTheFieldsTheOriginReads() throws {
        let text = "GET /b/x/1/a.js?v=1 HTTP/1.1\r\nHost: relais.local\r\nUser-Agent: test\r\nRange: bytes=0-1\r\n"
            + "If-None-Match: \"a\"\r\nif-none-match: W/\"b\"\r\nIF-MODIFIED-SINCE: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nNEXT"
        guard case .complete(let request, let length) = parse(text) else {
            Issue.record("incomplete")
            return
        }
        #expect(length == text.utf8.count - 4)
        #expect(request.method == .get)
        #expect(request.target == "/b/x/1/a.js?v=1")
        #expect(request.minorVersion == 1)
        #expect(request.keepAlive)
        #expect(request.hasHost)
        #expect(request.contentLength == 0)
        #expect(request.conditions.range == "bytes=0-1")
        #expect(request.conditions.ifNoneMatch == "\"a\", W/\"b\"")
        #expect(request.conditions.ifModifiedSince == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(request.conditions.ifMatch == nil)
    }

    @Test func tellsMethodsApart() throws {
        #expect(try request("GET / HTTP/1.1\r\n\r\n").method == .get)
        #expect(try request("HEAD / HTTP/1.1\r\n\r\n").method == .head)
        #expect(try request("POST / HTTP/1.1\r\n\r\n").method == .other)
        #expect(try request("get / HTTP/1.1\r\n\r\n").method == .other)  // methods are case-sensitive
    }

    @Test func waitsForTheEndOfTheHeadAndResumesTheSearch() {
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\n") == .incomplete(resumeAt: 22))
        #expect(parse("GET / HTT") == .incomplete(resumeAt: 6))
        #expect(parse("") == .incomplete(resumeAt: 0))
        guard case .complete = parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n", resumeAt: 22) else {
            Issue.record("resuming must still find the end")
            return
        }
    }

    @Test func acceptsBareLineFeedsAndLeadingEmptyLines() throws {
        let request = try request("\r\n\r\nGET /x HTTP/1.1\nHost: a\n\n")
        #expect(request.target == "/x")
        #expect(request.hasHost)
    }

    @Test func keepAliveFollowsTheVersionAndConnectionField() throws {
        #expect(try request("GET / HTTP/1.1\r\n\r\n").keepAlive)
        #expect(try !request("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keepAlive)
        #expect(try !request("GET / HTTP/1.1\r\nConnection: Upgrade, Close\r\n\r\n").keepAlive)
        #expect(try !request("GET / HTTP/1.0\r\n\r\n").keepAlive)
        #expect(try request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive)
        #expect(try request("GET / HTTP/1.0\r\n\r\n").minorVersion == 0)
    }

    @Test func readsContentLengthAndExpect() throws {
        let post = try request("POST / HTTP/1.1\r\nContent-Length: 12\r\nExpect: 100-Continue\r\n\r\n")
        #expect(post.contentLength == 12)
        #expect(post.expectsContinue)
        #expect(try request("GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n").contentLength == 5)
    }

    @Test(arguments: [
        "GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET  HTTP/1.1\r\n\r\n", "G(T / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1 \r\n\r\n",
        "GET /a\u{7F}b HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nHost a\r\n\r\n", "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        "GET / HTTP/1.1\r\n: a\r\n\r\n", "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", "GET / HTTP/1.1\r\nX: a\u{01}b\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "GET / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 9999999999999999999\r\n\r\n", "GET / ICY/1.1\r\n\r\n",
    ])
    func refusesMalformedHeads(text: String) {
        guard case .invalid(.malformed) = parse(text) else {
            Issue.record("accepted \(text.debugDescription): \(parse(text))")
            return
        }
    }

    @Test func refusesOtherVersionsAndTransferCodings() {
        #expect(parse("GET / HTTP/2.0\r\n\r\n") == .invalid(.unsupportedVersion))
        #expect(parse("GET / HTTP/0.9\r\n\r\n") == .invalid(.unsupportedVersion))
        #expect(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == .invalid(.unsupportedTransferCoding))
    }

    @Test func refusesHeadsThatAreTooLarge() {
        let huge = "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: RequestHeadParser.maximumHeadSize) + "\r\n"
        #expect(parse(huge) == .invalid(.tooLarge))
        #expect(parse(huge + "\r\n") == .invalid(.tooLarge))
        let many = "GET / HTTP/1.1\r\n" + String(repeating: "X: a\r\n", count: RequestHeadParser.maximumFieldCount + 1) + "\r\n"
        #expect(parse(many) == .invalid(.tooLarge))
        #expect(parse(String(repeating: "\r\n", count: RequestHeadParser.maximumHeadSize)) == .invalid(.malformed("empty lines instead of a request")))
    }
}
