import Foundation
import NIOCore
import NIOPosix

/// The head of a raw HTTP answer.
public struct RawHead {
    public var status: Int
    public var headers: [(String, String)]

    public init?(_ bytes: [UInt8]) {
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

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// A TCP connection to 127.0.0.1 that sends exact bytes and reads with deadlines.
public final class RawConnection: Sendable {
    public struct Exchange: Sendable {
        public var bytes: [UInt8]
        public var closedByServer: Bool
    }

    /// What has arrived so far; a pump task fills it, readers poll it until their deadline.
    public actor Inbox {
        var bytes: [UInt8] = []
        var consumed = 0
        var closed = false
        func append(_ chunk: ByteBuffer) { bytes += chunk.readableBytesView }
        func close() { closed = true }
        func unread() -> ([UInt8], Bool) { (Array(bytes[consumed...]), closed) }
        func consume(_ count: Int) { consumed += count }
    }

    public let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    public let inbox = Inbox()

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
    public static func with<T: Sendable>(port: Int, _ body: (RawConnection) async throws -> T) async throws -> T {
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
    public static func exchange(port: Int, _ request: String, within timeout: Duration = .seconds(5)) async throws -> Exchange {
        try await with(port: port) { connection in
            // A connection the server refused may be closed before the request is written.
            if !request.isEmpty { try? await connection.send(request) }
            return await connection.readUntilClosed(within: timeout)
        }
    }

    public func send(_ text: String) async throws {
        try await channel.channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Everything received until the server closes (closedByServer) or the deadline.
    public func readUntilClosed(within timeout: Duration) async -> Exchange {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (bytes, closed) = await inbox.unread()
            if closed || ContinuousClock.now >= deadline { return Exchange(bytes: bytes, closedByServer: closed) }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The next whole answer (head, and the body its Content-Length announces), consumed; nil
    /// when none came within `timeout`.
    public func readHead(within timeout: Duration) async throws -> RawHead? {
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
