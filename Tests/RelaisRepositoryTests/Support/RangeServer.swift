import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny HTTP/1.1 server on 127.0.0.1 for transport tests: serves fixed files, answers
/// `Range: bytes=N-` with 206 (python3 -m http.server does not) except under `/plain/`, where it
/// answers 200 with the whole file as servers without Range support do; 404 for anything else.
final class RangeServer: Sendable {
    let files: [String: [UInt8]]
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    var baseURL: String { "http://127.0.0.1:\(channel.localAddress?.port ?? 0)" }

    init(files: [String: [UInt8]]) async throws {
        self.files = files
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(files: files))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let files: [String: [UInt8]]
        var head: HTTPRequestHead?

        init(files: [String: [UInt8]]) { self.files = files }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let request): head = request
            case .body: break
            case .end: if let head { respond(context, head) }
            }
        }

        private func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead) {
            var status = HTTPResponseStatus.ok
            var headers = HTTPHeaders()
            var body: [UInt8] = []
            if let file = files[request.uri] {
                body = file
                if !request.uri.hasPrefix("/plain/"), let range = request.headers.first(name: "Range"), range.hasPrefix("bytes="),
                    let start = Int(range.dropFirst(6).dropLast()), start < file.count
                {
                    status = .partialContent
                    headers.add(name: "Content-Range", value: "bytes \(start)-\(file.count - 1)/\(file.count)")
                    body = Array(file[start...])
                }
            } else {
                status = .notFound
            }
            headers.add(name: "Content-Length", value: "\(body.count)")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
