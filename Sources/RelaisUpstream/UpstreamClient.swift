import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The one HTTP client of a push: POSTs JSON arrays of statements to `{endpoint}/statements` as
/// xAPI 1.0.3 asks (version header, Basic auth), on a kept-alive connection.
///
/// Timeouts are short so that a dead or black-holed upstream fails in seconds and the push
/// backs off, instead of hanging a `relais sync --once` run by cron.
public final class UpstreamClient: Sendable {
    public struct Timeouts: Sendable {
        public var connect: Duration
        public var read: Duration
        /// Cap on one whole request (send, LRS work, answer).
        public var request: Duration

        public init(connect: Duration = .seconds(3), read: Duration = .seconds(30), request: Duration = .seconds(60)) {
            self.connect = connect
            self.read = read
            self.request = request
        }
    }

    private let client: HTTPClient
    private let url: String
    private let headers: HTTPHeaders
    private let requestTimeout: Duration

    public init(configuration: UpstreamConfiguration, timeouts: Timeouts = Timeouts()) {
        var settings = HTTPClient.Configuration()
        settings.timeout = .init(connect: .init(timeouts.connect), read: .init(timeouts.read))
        settings.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
        url = configuration.statementsURL
        var headers = HTTPHeaders()
        headers.add(name: "X-Experience-API-Version", value: "1.0.3")
        headers.add(name: "Content-Type", value: "application/json")
        if !configuration.username.isEmpty || !configuration.password.isEmpty {
            let token = Data("\(configuration.username):\(configuration.password)".utf8).base64EncodedString()
            headers.add(name: "Authorization", value: "Basic \(token)")
        }
        self.headers = headers
        requestTimeout = timeouts.request
    }

    /// Where the statements go, for messages.
    public var statementsURL: String { url }

    /// POSTs one JSON array of statements; never throws: network failures are `.transient`.
    public func post(_ payload: ByteBuffer) async -> UpstreamAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(payload)
        do {
            let response = try await client.execute(request, timeout: .init(requestTimeout))
            // The body only explains a refusal; Ralph's are short JSON `{"detail": …}`.
            let body = try await response.body.collect(upTo: 64 * 1024)
            return UpstreamAnswer(status: Int(response.status.code), detail: Self.detail(body))
        } catch {
            return .transient(Self.reason(error))
        }
    }

    /// Closes the connections; call once the push is over.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// The first line of an error body, trimmed, for quarantine reasons and logs.
    static func detail(_ body: ByteBuffer) -> String {
        let text = String(buffer: body)
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .readTimeout: return "no answer in time (read timeout)"
            case .deadlineExceeded: return "no complete answer in time"
            case .remoteConnectionClosed: return "the connection was closed before the answer"
            default: return "\(error)"
            }
        }
        return "\(error)"
    }
}
