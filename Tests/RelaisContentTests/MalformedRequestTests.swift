import NIOCore
import RelaisContent
import Testing

@Suite(.timeLimit(.minutes(1))) struct MalformedRequestTests {
    static let files = ["a.txt": Array("ok".utf8)]

    @Test func refusedHeadsGetTheirStatusAndTheConnectionCloses() async throws {
        try await withContentServer(files: Self.files) { fixture in
            let cases: [(String, Int)] = [
                ("GET / HTTP/2.0\r\n\r\n", 505),
                ("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501),
                ("GET / HTTP/1.1\r\nHost: t\r\nX: " + String(repeating: "a", count: 20_000) + "\r\n\r\n", 431),
                ("GET / HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n", 400),
            ]
            for (request, status) in cases {
                let responses = try await fixture.exchange(request)
                #expect(responses.map(\.status) == [status], "\(request.prefix(40))")
                #expect(responses.first?.header("Connection") == "close")
            }
        }
    }

    @Test func requestsBeforeAMalformedOneAreStillAnswered() async throws {
        try await withContentServer(files: Self.files) { fixture in
            let request = "GET \(ContentFixture.url("a.txt")) HTTP/1.1\r\nHost: t\r\n\r\nBROKEN\r\n\r\nGET \(ContentFixture.url("a.txt")) HTTP/1.1\r\n\r\n"
            let responses = try await fixture.exchange(request)
            #expect(responses.map(\.status) == [200, 400])
        }
    }

    @Test func aHeadArrivingByteByByteIsAnswered() async throws {
        try await withContentServer(files: Self.files) { fixture in
            let request = "GET \(ContentFixture.url("a.txt")) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
            let received = try await RawHTTPClient.withConnection(port: fixture.port) { inbound, outbound in
                for byte in request.utf8 { try await outbound.write(ByteBuffer(bytes: [byte])) }
                return try await RawHTTPClient.readAll(inbound)
            }
            #expect(try RawResponse.parseOne(received).bodyText == "ok")
        }
    }

    @Test func bigRequestBodyIsNotReadButAnsweredAndClosed() async throws {
        try await withContentServer(files: Self.files) { fixture in
            let request = "POST \(ContentFixture.url("a.txt")) HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n"
                + String(repeating: "x", count: 1000)
            let responses = try await fixture.exchange(request)
            #expect(responses.map(\.status) == [405])
            #expect(responses.first?.header("Connection") == "close")
        }
    }
}
