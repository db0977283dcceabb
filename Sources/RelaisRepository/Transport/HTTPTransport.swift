import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A repository served by any static HTTP server: metadata under `metadataURL`, targets under
/// `targetsURL`. Bodies are streamed and counted, so a server sending more than the signed length
/// is cut off; a dead server fails within the connect or read timeout instead of hanging a sync.
public struct HTTPTransport: RepositoryTransport {
    /// How long to wait for a connection, and for the next bytes of an answer.
    public struct Timeouts: Hashable, Sendable {
        public var connect: Duration
        public var read: Duration

        public init(connect: Duration = .seconds(5), read: Duration = .seconds(20)) {
            self.connect = connect
            self.read = read
        }
    }

    public let metadataURL: String
    public let targetsURL: String
    private let client: HTTPClient

    public init(metadataURL: String, targetsURL: String, timeouts: Timeouts = Timeouts()) {
        self.metadataURL = HTTPTransport.trimmed(metadataURL)
        self.targetsURL = HTTPTransport.trimmed(targetsURL)
        self.client = HTTPClients.shared.client(for: timeouts)
    }

    public func metadata(_ name: String, maxLength: Int64) async throws(TransportError) -> [UInt8] {
        let url = "\(metadataURL)/\(HTTPTransport.encoded(name, keepingSlashes: false))"
        let sink = BytesSink()
        try await get(url, name: name, from: 0, maxLength: maxLength, into: sink)
        return sink.bytes
    }

    public func target(_ path: String, from offset: Int64, maxLength: Int64, into sink: any TargetSink) async throws(TransportError) {
        let url = "\(targetsURL)/\(HTTPTransport.encoded(path, keepingSlashes: true))"
        try await get(url, name: path, from: offset, maxLength: maxLength, into: sink)
    }

    /// One GET, streamed into `sink`; `Range: bytes=offset-` when resuming.
    private func get(_ url: String, name: String, from offset: Int64, maxLength: Int64, into sink: any TargetSink) async throws(TransportError) {
        var request = HTTPClientRequest(url: url)
        if offset > 0 { request.headers.add(name: "Range", value: "bytes=\(offset)-") }
        do {
            // The read timeout guards each wait for bytes; this deadline only caps a whole transfer.
            let response = try await client.execute(request, deadline: .now() + .hours(12))
            var received: Int64
            switch response.status.code {
            case 206 where offset > 0:
                guard HTTPTransport.rangeStart(response.headers) == offset else {
                    throw TransportError.io("\(url) answered a byte range that does not start at \(offset)")
                }
                received = offset
            case 200:
                if offset > 0 { try writing(url) { try sink.restart() } }
                received = 0
            case 403, 404:
                throw TransportError.notFound(name)
            default:
                throw TransportError.httpStatus(url, Int(response.status.code))
            }
            if let declared = response.headers.first(name: "Content-Length").flatMap({ Int64($0) }), received + declared > maxLength {
                throw TransportError.tooLarge(name, limit: maxLength)
            }
            for try await buffer in response.body {
                received += Int64(buffer.readableBytes)
                guard received <= maxLength else { throw TransportError.tooLarge(name, limit: maxLength) }
                try writing(url) { try buffer.withUnsafeReadableBytes { try sink.write($0) } }
            }
        } catch let error as TransportError {
            throw error
        } catch {
            throw .unreachable(url, reason: HTTPTransport.reason(error))
        }
    }

    private func writing(_ url: String, _ body: () throws -> Void) throws(TransportError) {
        do { try body() } catch { throw .io("cannot store what \(url) sent: \(error)") }
    }

    /// START of `Content-Range: bytes START-END/TOTAL`.
    static func rangeStart(_ headers: HTTPHeaders) -> Int64? {
        guard let value = headers.first(name: "Content-Range"), value.hasPrefix("bytes ") else { return nil }
        return value.dropFirst(6).split(separator: "-").first.flatMap { Int64($0) }
    }

    static func reason(_ error: any Error) -> String {
        if let client = error as? HTTPClientError {
            if client == .readTimeout { return "no data within the read timeout" }
            if client == .connectTimeout || client == .getConnectionFromPoolTimeout { return "no connection within the connect timeout" }
        }
        return "\(error)"
    }

    static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// Percent-encodes everything but unreserved characters (and `/` between target path segments),
    /// so a name with `?`, `#` or spaces reaches the server as the path it is.
    static func encoded(_ path: String, keepingSlashes: Bool) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlashes:
                out.append("/")
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// Collects a metadata body (already bounded by the caller's maximum).
private final class BytesSink: TargetSink {
    var bytes: [UInt8] = []
    func restart() { bytes.removeAll() }
    func write(_ chunk: UnsafeRawBufferPointer) { bytes.append(contentsOf: chunk) }
}

/// One HTTP client per timeout setting, living as long as the process: timeouts are a client
/// setting in AsyncHTTPClient, and a client must be shut down before it goes away, which a
/// process-wide one never does.
private final class HTTPClients: @unchecked Sendable {
    static let shared = HTTPClients()
    private let lock = NSLock()
    private var clients: [HTTPTransport.Timeouts: HTTPClient] = [:]

    func client(for timeouts: HTTPTransport.Timeouts) -> HTTPClient {
        lock.lock()
        defer { lock.unlock() }
        if let client = clients[timeouts] { return client }
        let configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: .init(connect: TimeAmount(timeouts.connect), read: TimeAmount(timeouts.read)),
            decompression: .disabled)
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        clients[timeouts] = client
        return client
    }
}
