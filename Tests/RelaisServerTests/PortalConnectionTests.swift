import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
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

/// The head of a raw HTTP answer.
struct RawHead {
    var status: Int
    var headers: [(String, String)]

    init?(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else { return nil }
        self.status = status
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// A TCP connection to 127.0.0.1 that sends exact bytes and reads with deadlines.
final class RawConnection: Sendable {
    struct Exchange {
        var bytes: [UInt8]
        var closedByServer: Bool
    }

    /// What has arrived so far; a pump task fills it, readers poll it until their deadline.
    actor Inbox {
        var bytes: [UInt8] = []
        var consumed = 0
        var closed = false
        func append(_ chunk: ByteBuffer) { bytes += chunk.readableBytesView }
        func close() { closed = true }
        func unread() -> ([UInt8], Bool) { (Array(bytes[consumed...]), closed) }
        func consume(_ count: Int) { consumed += count }
    }

    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    let inbox = Inbox()

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
        let inbox = self.inbox
        Task {
            // Ends when the server closes, or when `with` closes the channel.
            try? await channel.executeThenClose { inbound, _ in
                for try await chunk in inbound { await inbox.append(chunk) }
            }
            await inbox.close()
        }
    }

    /// Opens a connection, runs `body`, closes it.
    static func with<T: Sendable>(port: Int, _ body: (RawConnection) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let connection = RawConnection(channel: channel)
        do {
            let value = try await body(connection)
            try? await channel.channel.close()
            return value
        } catch {
            try? await channel.channel.close()
            throw error
        }
    }

    /// Sends `request` on a new connection and reads until the server closes or `within` passes.
    static func exchange(port: Int, _ request: String, within timeout: Duration = .seconds(5)) async throws -> Exchange {
        try await with(port: port) { connection in
            // A connection the server refused may be closed before the request is written.
            if !request.isEmpty { try? await connection.send(request) }
            return await connection.readUntilClosed(within: timeout)
        }
    }

    func send(_ text: String) async throws {
        try await channel.channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Everything received until the server closes (closedByServer) or the deadline.
    func readUntilClosed(within timeout: Duration) async -> Exchange {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (bytes, closed) = await inbox.unread()
            if closed || ContinuousClock.now >= deadline { return Exchange(bytes: bytes, closedByServer: closed) }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The next whole answer (head, and the body its Content-Length announces), consumed; nil
    /// when none came within `timeout`.
    func readHead(within timeout: Duration) async throws -> RawHead? {
        let deadline = ContinuousClock.now + timeout
        let separator = Array("\r\n\r\n".utf8)
        while true {
            let (bytes, closed) = await inbox.unread()
            if let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }), let head = RawHead(bytes) {
                let length = end + 4 + (head.header("Content-Length").flatMap(Int.init) ?? 0)
                if bytes.count >= length {
                    await inbox.consume(length)
                    return head
                }
            }
            if closed || ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
