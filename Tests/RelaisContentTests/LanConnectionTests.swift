import Foundation
import NIOCore
import NIOPosix
import RelaisContent
import RelaisTestSupport
import Testing

/// The content origin on a real socket, as the LAN sees it: pooled clients told when a
/// connection closes, a half-sent head cut, one address bounded, the total bounded.
@Suite(.timeLimit(.minutes(1))) struct LanConnectionTests {
    static let small = Array("petit fichier".utf8)

    private func get(_ path: String = "a.txt", _ extra: String = "") -> String {
        "GET \(ContentFixture.url(path)) HTTP/1.1\r\nHost: t\r\n\(extra)\r\n"
    }

    @Test func aRequestThatSaysConnectionCloseIsAnsweredWithConnectionCloseThenClosed() async throws {
        try await withContentServer(files: ["a.txt": Self.small]) { fixture in
            for field in ["Connection: close", "Connection: Close", "Connection: keep-alive, close", "connection:close"] {
                for target in [ContentFixture.url("a.txt"), "/nowhere"] {
                    let request = "GET \(target) HTTP/1.1\r\nHost: t\r\n\(field)\r\n\r\n"
                    let exchange = try await RawConnection.exchange(port: fixture.port, request)
                    #expect(exchange.closedByServer, "the connection stays open after \(field)")
                    let head = try #require(RawHead(exchange.bytes))
                    #expect(head.header("Connection")?.lowercased() == "close", "the answer to « \(field) » for \(target) does not say Connection: close")
                }
            }
        }
    }

    @Test func halfARequestHeadIsAnswered408AndClosedWithinTheHeaderTimeout() async throws {
        let configuration = ContentServer.Configuration(idleTimeout: .seconds(30), headerTimeout: .milliseconds(300))
        try await withContentServer(files: ["a.txt": Self.small], configuration: configuration) { fixture in
            let started = ContinuousClock.now
            let exchange = try await RawConnection.exchange(port: fixture.port, "GET \(ContentFixture.url("a.txt")) HTTP/1.1\r\nHost: t\r\n", within: .seconds(10))
            #expect(exchange.closedByServer, "a half-sent head kept the connection open for 10 s")
            let head = try #require(RawHead(exchange.bytes))
            #expect(head.status == 408)
            #expect(head.header("Connection")?.lowercased() == "close")
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func aClientDribblingAHeadIsCutByTheHeaderTimeoutThoughItIsNeverIdle() async throws {
        let configuration = ContentServer.Configuration(idleTimeout: .seconds(30), headerTimeout: .milliseconds(500))
        try await withContentServer(files: ["a.txt": Self.small], configuration: configuration) { fixture in
            try await RawConnection.with(port: fixture.port) { connection in
                let started = ContinuousClock.now
                var cut = false
                for byte in get("a.txt", "X-Slow: ").utf8.prefix(60) {
                    do { try await connection.send(String(UnicodeScalar(byte))) } catch { cut = true; break }
                    if let head = try await connection.readHead(within: .milliseconds(100)) {
                        #expect(head.status == 408)
                        cut = true
                        break
                    }
                }
                #expect(cut, "a head dribbled over 6 s was never cut")
                #expect(ContinuousClock.now - started < .seconds(3))
            }
        }
    }

    @Test func aHeadThatArrivesInPiecesInTimeIsServed() async throws {
        let configuration = ContentServer.Configuration(headerTimeout: .seconds(2))
        try await withContentServer(files: ["a.txt": Self.small], configuration: configuration) { fixture in
            try await RawConnection.with(port: fixture.port) { connection in
                let request = get("a.txt")
                let middle = request.index(request.startIndex, offsetBy: 20)
                try await connection.send(String(request[..<middle]))
                #expect(try await connection.readHead(within: .milliseconds(200)) == nil)
                try await connection.send(String(request[middle...]))
                #expect(try await connection.readHead(within: .seconds(5))?.status == 200)
                // The clock restarts with the next head.
                try await connection.send(request)
                #expect(try await connection.readHead(within: .seconds(5))?.status == 200)
            }
        }
    }

    @Test func connectionsOverThePerAddressLimitAreClosedAtOnceAndTheOthersStillServe() async throws {
        let configuration = ContentServer.Configuration(maximumConnectionsPerAddress: 3)
        try await withContentServer(files: ["a.txt": Self.small], configuration: configuration) { fixture in
            try await RawConnection.with(port: fixture.port) { a in
                try await RawConnection.with(port: fixture.port) { b in
                    try await RawConnection.with(port: fixture.port) { c in
                        for connection in [a, b, c] {
                            try await connection.send(get())
                            #expect(try await connection.readHead(within: .seconds(5))?.status == 200)
                        }
                        let extra = try await RawConnection.exchange(port: fixture.port, get(), within: .seconds(5))
                        #expect(extra.closedByServer)
                        #expect(extra.bytes.isEmpty, "a fourth connection from the same address was answered")
                        try await a.send(get())
                        #expect(try await a.readHead(within: .seconds(5))?.status == 200)
                    }
                }
            }
            let deadline = ContinuousClock.now + .seconds(5)
            var answered = false
            while !answered, ContinuousClock.now < deadline {
                let exchange = try await RawConnection.exchange(port: fixture.port, get("a.txt", "Connection: close\r\n"), within: .seconds(2))
                answered = RawHead(exchange.bytes)?.status == 200
            }
            #expect(answered, "no connection admitted after the others closed")
        }
    }

    @Test func pastTheMaximumANewConnectionWaitsUntilOneCloses() async throws {
        let configuration = ContentServer.Configuration(maximumConnections: 2)
        try await withContentServer(files: ["a.txt": Self.small], configuration: configuration) { fixture in
            try await RawConnection.with(port: fixture.port) { a in
                try await a.send(get())
                #expect(try await a.readHead(within: .seconds(5))?.status == 200)
                try await RawConnection.with(port: fixture.port) { b in
                    try await b.send(get())
                    #expect(try await b.readHead(within: .seconds(5))?.status == 200)
                    try await RawConnection.with(port: fixture.port) { waiting in
                        try await waiting.send(get())
                        #expect(try await waiting.readHead(within: .milliseconds(500)) == nil, "a third connection was served past the maximum of 2")
                        try await b.channel.channel.close()
                        #expect(try await waiting.readHead(within: .seconds(5))?.status == 200, "the waiting connection was not served once one closed")
                    }
                }
            }
        }
    }
}
