import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import RelaisContent

/// The portal's connections: Hummingbird's `HTTP1Channel` (its idle timeout included), plus
/// what a school LAN needs of it and it does not do by itself:
///
/// - a bound on the connections of one client address (`AddressConnectionLimit`): extra ones
///   are closed as soon as they are accepted;
/// - a header-read timeout (`HeadReadTimeoutHandler`): a head that started arriving and is not
///   complete in time is answered 408 and the connection closed;
/// - `Connection: close` said on the answer whenever the connection closes after it
///   (`PortalConnectionHandler`; RFC 9112 §9.6), so pooled clients do not reuse a dead socket.
struct PortalChildChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let perAddress: AddressConnectionLimit
    let headerTimeout: TimeAmount

    /// The setup a refused connection gets: the channel is closed before it is registered, so
    /// no task is started for it.
    struct OverAddressLimit: Error {}

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard perAddress.admitOrClose(channel, logger: logger, origin: "portal") else {
            return channel.eventLoop.makeFailedFuture(OverAddressLimit())
        }
        // Runs on the channel's event loop (the bootstrap submits it there), before registration.
        let watch = HeadReadTimeoutHandler(timeout: headerTimeout, logger: logger)
        do {
            // First in the pipeline (HTTP1Channel appends after it): it sees the raw bytes.
            try channel.pipeline.syncOperations.addHandler(watch)
        } catch {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(error)
        }
        return http1.setup(channel: channel, logger: logger).assumeIsolated().map { value in
            // Between NIO's request decoder and the HTTP-types codec, where the HTTP version and
            // the Connection field of each request are still visible. Never throws from here: the
            // NIOAsyncChannel exists now, and dropping it unfinished would trap in NIO.
            let pipeline = channel.pipeline.syncOperations
            if let decoder = try? pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self) {
                do {
                    try pipeline.addHandler(PortalConnectionHandler(watch: watch), position: .after(decoder.handler))
                } catch {
                    logger.debug("cannot add the connection handler; this connection goes without it", metadata: ["error": "\(error)"])
                }
            }
            return value
        }.nonisolated()
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

/// Watches the raw bytes of a portal connection: once the first byte of a request head has
/// arrived, the whole head must follow within `timeout`, or the client is answered
/// `408 Request Timeout` with `Connection: close` and the connection closed. Idle connections
/// (no byte at all) are left to Hummingbird's idle timeout.
final class HeadReadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    private let logger: Logger
    private var context: ChannelHandlerContext?
    /// True between requests: the next bytes start a head.
    private var awaitingHead = true
    /// Requests whose head arrived and whose answer has not ended.
    private var answersOpen = 0
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if awaitingHead, timer == nil { arm(after: timeout) }
        context.fireChannelRead(data)
    }

    /// The decoder produced a complete head.
    func headArrived() {
        awaitingHead = false
        answersOpen += 1
        timer?.cancel()
        timer = nil
    }

    /// The request's body ended: the next bytes are the next head.
    func requestEnded() {
        awaitingHead = true
    }

    /// The answer to a request was written whole.
    func answerEnded() {
        answersOpen = max(0, answersOpen - 1)
    }

    private func arm(after delay: TimeAmount) {
        guard let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            timer = nil
            guard awaitingHead, let context = self.context, context.channel.isActive else { return }
            if answersOpen > 0 {
                // Still answering an earlier request: the client may wait for it before sending more.
                arm(after: timeout)
                return
            }
            logger.debug("closing a portal connection whose request head did not arrive in time")
            let message = "Request timeout: the request head did not arrive in time; send it whole.\n"
            var answer = context.channel.allocator.buffer(capacity: 160 + message.utf8.count)
            answer.writeString(
                "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(message.utf8.count)\r\nConnection: close\r\n\r\n"
            )
            answer.writeString(message)
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(answer), promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}

/// Says `Connection: close` on an answer after which the portal closes the connection, and
/// closes it once that answer is written: when the request asked for it (`Connection: close`,
/// or HTTP/1.0 without keep-alive) or the server is shutting down. An HTTP/1.0 client that
/// asked to keep the connection is told `Connection: keep-alive`.
///
/// Hummingbird closes after a request whose Connection field is exactly `close`, but its answer
/// does not say so, which makes pooled HTTP clients reuse a connection that is going away.
final class PortalConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// What each request read and not yet answered asked of the connection, in order.
    private enum Persistence { case keep, keepHTTP10, close }
    private var requests = CircularBuffer<Persistence>(initialCapacity: 2)
    private var quiescing = false
    private var closingAfterThisAnswer = false
    private let watch: HeadReadTimeoutHandler

    init(watch: HeadReadTimeoutHandler) {
        self.watch = watch
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            watch.headArrived()
            if !head.isKeepAlive {
                requests.append(.close)
            } else {
                requests.append(head.version.minor == 0 && head.version.major == 1 ? .keepHTTP10 : .keep)
            }
        case .body:
            break
        case .end:
            watch.requestEnded()
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent { quiescing = true }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status.code >= 200:
            let persistence = requests.first ?? .keep
            // An answer that already says close (Hummingbird's 400 for a head it cannot parse).
            let saysClose = head.headers["connection"].contains { $0.lowercased().contains("close") }
            if persistence == .close || quiescing || saysClose {
                closingAfterThisAnswer = true
                head.headers.replaceOrAdd(name: "Connection", value: "close")
            } else if persistence == .keepHTTP10, !head.headers.contains(name: "connection") {
                head.headers.add(name: "Connection", value: "keep-alive")
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end:
            _ = requests.popFirst()
            watch.answerEnded()
            guard closingAfterThisAnswer else {
                context.write(data, promise: promise)
                return
            }
            closingAfterThisAnswer = false
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        default:
            context.write(data, promise: promise)
        }
    }
}
