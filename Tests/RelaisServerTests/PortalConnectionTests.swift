import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
@testable import RelaisLaunch
@testable import RelaisServer
import RelaisTestSupport
import Testing

/// The portal on a real socket, read byte for byte: what a pooled HTTP client, an idle device
/// and a client that stops half-way through a head see.
@Suite(.timeLimit(.minutes(1))) struct PortalConnectionTests {
    let contentPort = freePort()

    /// Runs the portal of a fresh box on a real port with `configure` applied, and hands the port to `body`.
    func withPortal(
        _ configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let t = try TestBox()
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, contentPort: contentPort)
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let app = try buildApplication(box: t.box, configuration: configuration, logger: logger)
        try await app.test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    static let health = "GET /healthz HTTP/1.1\r\nHost: relais.local\r\n"

    @Test func aRequestThatSaysConnectionCloseIsAnsweredWithConnectionCloseThenClosed() async throws {
        try await withPortal { port in
            for field in ["Connection: close", "Connection: Close", "Connection: keep-alive, close"] {
                let exchange = try await RawConnection.exchange(port: port, Self.health + field + "\r\n\r\n")
                #expect(exchange.closedByServer, "the connection stays open after \(field)")
                let response = try #require(RawHead(exchange.bytes), "no answer to \(field)")
                #expect(response.status == 200)
                #expect(response.header("Connection")?.lowercased() == "close", "the answer to « \(field) » does not say Connection: close")
            }
        }
    }

    @Test func http10IsClosedUnlessItAsksForKeepAlive() async throws {
        try await withPortal { port in
            let closing = try await RawConnection.exchange(port: port, "GET /healthz HTTP/1.0\r\n\r\n")
            #expect(closing.closedByServer)
            #expect(RawHead(closing.bytes)?.header("Connection")?.lowercased() == "close")
            // Asked to keep it: said so, and the connection still answers a second request.
            try await RawConnection.with(port: port) { connection in
                try await connection.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let first = try #require(try await connection.readHead(within: .seconds(5)))
                #expect(first.header("Connection")?.lowercased() == "keep-alive")
            }
        }
    }

    @Test func aHeadThatCannotBeParsedIsAnswered400WithConnectionCloseThenClosed() async throws {
        try await withPortal { port in
            let exchange = try await RawConnection.exchange(port: port, "GET /healthz HTTP/1.1\r\nHost relais.local\r\n\r\n")
            #expect(exchange.closedByServer)
            let response = try #require(RawHead(exchange.bytes))
            #expect(response.status == 400)
            #expect(response.header("Connection")?.lowercased() == "close")
        }
    }

    @Test func aPersistentConnectionIsNotToldToClose() async throws {
        try await withPortal { port in
            try await RawConnection.with(port: port) { connection in
                try await connection.send(Self.health + "\r\n")
                let first = try #require(try await connection.readHead(within: .seconds(5)))
                #expect(first.status == 200)
                #expect(first.header("Connection") == nil)
            }
        }
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await withPortal({ $0.idleTimeout = .milliseconds(300) }) { port in
            let started = ContinuousClock.now
            let exchange = try await RawConnection.exchange(port: port, "", within: .seconds(10))
            #expect(exchange.closedByServer, "an idle connection was still open after 10 s")
            #expect(exchange.bytes.isEmpty)
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func halfARequestHeadIsAnswered408AndClosedWithinTheHeaderTimeout() async throws {
        try await withPortal({ $0.headerTimeout = .milliseconds(300); $0.idleTimeout = .seconds(30) }) { port in
            let started = ContinuousClock.now
            let exchange = try await RawConnection.exchange(port: port, Self.health + "Accept: text/html\r\n", within: .seconds(10))
            #expect(exchange.closedByServer, "a half-sent head kept the connection open for 10 s")
            let response = try #require(RawHead(exchange.bytes))
            #expect(response.status == 408)
            #expect(response.header("Connection")?.lowercased() == "close")
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func aClientDribblingAHeadIsCutByTheHeaderTimeout() async throws {
        try await withPortal({ $0.headerTimeout = .milliseconds(500); $0.idleTimeout = .seconds(30) }) { port in
            try await RawConnection.with(port: port) { connection in
                let started = ContinuousClock.now
                var closed = false
                for byte in (Self.health + "X-Slow: ").utf8.prefix(40) {
                    do { try await connection.send(String(UnicodeScalar(byte))) } catch { closed = true; break }
                    if try await connection.readHead(within: .milliseconds(100)) != nil { closed = true; break }
                }
                #expect(closed, "a head dribbled over 4 s was never cut")
                #expect(ContinuousClock.now - started < .seconds(3))
            }
        }
    }

    @Test func connectionsOverThePerAddressLimitAreClosedAtOnceAndTheOthersStillServe() async throws {
        // 4: the live test client keeps one connection of its own open from 127.0.0.1.
        try await withPortal({ $0.maxConnectionsPerAddress = 4 }) { port in
            try await RawConnection.with(port: port) { a in
                try await RawConnection.with(port: port) { b in
                    try await RawConnection.with(port: port) { c in
                        for connection in [a, b, c] {
                            try await connection.send(Self.health + "\r\n")
                            #expect(try await connection.readHead(within: .seconds(5))?.status == 200)
                        }
                        let extra = try await RawConnection.exchange(port: port, Self.health + "\r\n", within: .seconds(5))
                        #expect(extra.closedByServer)
                        #expect(extra.bytes.isEmpty, "a fifth connection from the same address was answered")
                        try await a.send(Self.health + "\r\n")
                        #expect(try await a.readHead(within: .seconds(5))?.status == 200)
                    }
                }
            }
            // One of the three closed: a new one is admitted (the count drops asynchronously).
            let deadline = ContinuousClock.now + .seconds(5)
            var answered = false
            while !answered, ContinuousClock.now < deadline {
                let exchange = try await RawConnection.exchange(port: port, Self.health + "Connection: close\r\n\r\n", within: .seconds(2))
                answered = RawHead(exchange.bytes)?.status == 200
            }
            #expect(answered)
        }
    }
}
