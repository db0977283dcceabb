import Foundation
import NIOCore
import NIOPosix

/// A deliberately dumb HTTP client: writes the exact bytes a test gives, returns the exact bytes
/// the server sent until it closed the connection. The tests end their last request with
/// `Connection: close` so the server's own close marks the end.
enum RawHTTPClient {
    /// Sends `request` on a new connection and returns everything received until EOF.
    static func exchange(port: Int, _ request: String) async throws -> [UInt8] {
        try await withConnection(port: port) { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            return try await readAll(inbound)
        }
    }

    /// Opens a connection and hands its two halves to `body`; the connection is closed after.
    static func withConnection<Result: Sendable>(
        port: Int,
        _ body: (NIOAsyncChannelInboundStream<ByteBuffer>, NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(inbound, outbound)
        }
    }

    /// Every byte until the peer closes.
    static func readAll(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) async throws -> [UInt8] {
        var received: [UInt8] = []
        for try await chunk in inbound { received += chunk.readableBytesView }
        return received
    }
}

/// One response cut out of a raw byte stream.
struct RawResponse: Equatable {
    var status: Int
    var reason: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The value of the only header called `name` (case-insensitive); nil when absent.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// How many times a header appears.
    func count(_ name: String) -> Int {
        headers.filter { $0.name.lowercased() == name.lowercased() }.count
    }

    /// The header names in the order sent.
    var headerNames: [String] { headers.map(\.name) }

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    static func == (a: RawResponse, b: RawResponse) -> Bool {
        a.status == b.status && a.reason == b.reason && a.body == b.body
            && a.headers.map { "\($0.name): \($0.value)" } == b.headers.map { "\($0.name): \($0.value)" }
    }

    /// Splits a byte stream into responses. `bodiless[i]` says response i answers a HEAD (or is
    /// known to have no body whatever its Content-Length says); 304 never has one.
    static func parseAll(_ bytes: [UInt8], bodiless: [Bool] = []) throws -> [RawResponse] {
        var responses: [RawResponse] = []
        var index = 0
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        while index < bytes.count {
            guard let end = find(separator, in: bytes, from: index) else { throw ParseError.truncatedHead(responses.count) }
            let lines = String(decoding: bytes[index..<end], as: UTF8.self).components(separatedBy: "\r\n")
            let statusParts = lines[0].split(separator: " ", maxSplits: 2).map(String.init)
            guard statusParts.count == 3, statusParts[0] == "HTTP/1.1", let status = Int(statusParts[1]) else {
                throw ParseError.badStatusLine(lines[0])
            }
            var headers: [(name: String, value: String)] = []
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { throw ParseError.badHeader(line) }
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            var response = RawResponse(status: status, reason: statusParts[2], headers: headers, body: [])
            index = end + separator.count
            let noBody = status == 304 || (responses.count < bodiless.count && bodiless[responses.count])
            if !noBody, let length = response.header("Content-Length").flatMap(Int.init) {
                guard index + length <= bytes.count else { throw ParseError.truncatedBody(responses.count) }
                response.body = Array(bytes[index..<index + length])
                index += length
            }
            responses.append(response)
        }
        return responses
    }

    /// Parses a stream that must hold exactly one response.
    static func parseOne(_ bytes: [UInt8], bodiless: Bool = false) throws -> RawResponse {
        let all = try parseAll(bytes, bodiless: [bodiless])
        guard all.count == 1 else { throw ParseError.expectedOne(all.count) }
        return all[0]
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], Array(haystack[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }

    enum ParseError: Error {
        case truncatedHead(Int), badStatusLine(String), badHeader(String), truncatedBody(Int), expectedOne(Int)
    }
}
