import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import RelaisCore
import RelaisXAPI

/// A stand-in upstream LRS on 127.0.0.1 whose answers a test scripts: each POST's statements are
/// parsed and recorded, and `answer` decides the status from them (ids, request number).
final class ScriptedLRS: Sendable {
    /// One request as received.
    struct Received: Sendable {
        let index: Int
        let headers: [String: String]
        let statements: [JSONValue]
        var ids: [String] { statements.compactMap { $0["id"]?.stringValue } }
    }

    typealias Answer = @Sendable (Received) -> (status: Int, body: String)

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let log: Log

    var endpoint: String { "http://127.0.0.1:\(channel.localAddress?.port ?? 0)/xapi" }
    var requests: [Received] { log.all }

    /// Statements acknowledged (2xx) by this server, in order, duplicates kept.
    var stored: [String] { log.stored }

    init(answer: @escaping Answer) async throws {
        let log = Log()
        self.log = log
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(log: log, answer: answer))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }

    /// Thread-safe record of what arrived.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var received: [Received] = []
        private var acknowledged: [String] = []

        var all: [Received] { lock.withLock { received } }
        var stored: [String] { lock.withLock { acknowledged } }

        func next(headers: [String: String], statements: [JSONValue]) -> Received {
            lock.withLock {
                let request = Received(index: received.count, headers: headers, statements: statements)
                received.append(request)
                return request
            }
        }

        func acknowledge(_ ids: [String]) { lock.withLock { acknowledged += ids } }
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let log: Log
        let answer: Answer
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(log: Log, answer: @escaping Answer) {
            self.log = log
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let request):
                head = request
                body = []
            case .body(let buffer): body += buffer.readableBytesView
            case .end: if let head { respond(context, head) }
            }
        }

        private func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead) {
            var headers: [String: String] = [:]
            for (name, value) in request.headers { headers[name.lowercased()] = value }
            let statements = (try? JSONValue(parsing: body))?.arrayValue ?? []
            let received = log.next(headers: headers, statements: statements)
            let (code, text) = request.method == .POST && request.uri == "/xapi/statements" ? answer(received) : (404, "not found")
            if (200..<300).contains(code) { log.acknowledge(received.ids) }
            let bytes = Array(text.utf8)
            var responseHeaders = HTTPHeaders()
            responseHeaders.add(name: "Content-Length", value: "\(bytes.count)")
            responseHeaders.add(name: "Content-Type", value: "application/json")
            let status = HTTPResponseStatus(statusCode: code)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: responseHeaders))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
