import Logging
import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection of the content origin: keep-alive, pipelining, backpressure, idle timeout.
///
/// Requests are answered in order, synchronously on the event loop when the bytes are in the
/// cache; only a cache miss or a large file waits for the thread pool (to open the blob). While
/// an answer is pending, later pipelined requests queue here and the socket is not read further,
/// so a client cannot make the server buffer more than one read's worth of requests.
final class ContentConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// What the connection is busy with between two requests.
    enum State {
        /// Ready for the next request.
        case idle
        /// Waiting for the thread pool to open or read a blob.
        case loading
        /// Handing a large body to the socket as it drains.
        case streaming(FileBodyStream)
        /// The channel is gone; late completions only release resources.
        case closed
    }

    let origin: ContentOrigin
    let resources: LoopResources
    var state: State = .idle
    /// Set once a response said `Connection: close`: nothing more is read or answered.
    var closeAfterResponse = false
    /// Set when the server is shutting down: the next response closes the connection.
    private var quiescing = false
    private var partialHead: HTTPRequestHead?
    private var pending = CircularBuffer<HTTPRequestHead>(initialCapacity: 4)
    private var readHeld = false
    var needsFlush = false
    var lastActivity = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?

    /// A handler for one accepted connection.
    init(origin: ContentOrigin, resources: LoopResources) {
        self.origin = origin
        self.resources = resources
    }

    func handlerAdded(context: ChannelHandlerContext) {
        scheduleIdleCheck(context: context, after: origin.configuration.idleTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        releaseStream()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        releaseStream()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            partialHead = head
        case .body:
            break  // GET and HEAD carry no meaningful body; anything else gets 405 once it ends.
        case .end:
            guard let head = partialHead else { return }
            partialHead = nil
            pending.append(head)
            answerPending(context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        lastActivity = .now()
        flushIfNeeded(context: context)
    }

    func read(context: ChannelHandlerContext) {
        // Backpressure: read more only when every request received so far has been answered.
        if pending.isEmpty, case .idle = state, !closeAfterResponse {
            context.read()
        } else {
            readHeld = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            if case .streaming = state {
                pump(context: context)
            } else {
                answerPending(context: context)
            }
            flushIfNeeded(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ContentServer.Quiesce else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        quiescing = true
        if case .idle = state, pending.isEmpty, partialHead == nil {
            closeAfterWrites(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError, case .idle = state, !closeAfterResponse {
            closeAfterResponse = true
            writeError(.badRequest, "Bad request.\n", connection: .close, context: context)
            return
        }
        context.close(promise: nil)
    }

    /// Answers queued requests in order while nothing is pending and the socket accepts more.
    func answerPending(context: ChannelHandlerContext) {
        while case .idle = state, !closeAfterResponse, context.channel.isWritable, let head = pending.popFirst() {
            answer(head, context: context)
        }
        if closeAfterResponse { return }
        if case .idle = state, pending.isEmpty {
            if quiescing, partialHead == nil {
                closeAfterWrites(context: context)
            } else if readHeld {
                readHeld = false
                context.read()
            }
        }
    }

    /// Called when a response's last byte has been handed to the channel.
    func responseFinished(context: ChannelHandlerContext) {
        if case .closed = state { return }
        state = .idle
        if closeAfterResponse {
            closeAfterWrites(context: context)
        } else {
            answerPending(context: context)
        }
    }

    /// Whether the response to `head` may leave the connection open, and how to say so.
    func connectionHeader(for head: HTTPRequestHead) -> ResponseHeadWriter.Connection {
        guard head.isKeepAlive, !quiescing else {
            closeAfterResponse = true
            return .close
        }
        return head.version.minor == 0 ? .keepAlive : .persistent
    }

    func flushIfNeeded(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
    }

    /// Closes once everything written so far has reached the socket: an empty write completes
    /// only after the writes queued before it.
    func closeAfterWrites(context: ChannelHandlerContext) {
        closeAfterResponse = true
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(ByteBuffer())), promise: done)
        needsFlush = false
        done.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    private func releaseStream() {
        if case .streaming(let stream) = state {
            // The channel failed its queued writes before going inactive, so nothing reads the file now.
            try? stream.handle.close()
        }
        state = .closed
    }

    /// Closes a connection that showed no activity for the idle timeout, unless the thread pool
    /// is still working for it. A stalled download counts as idle: each streamed chunk that
    /// drains is activity, so a client that stops reading is cut after one timeout.
    private func scheduleIdleCheck(context: ChannelHandlerContext, after delay: TimeAmount) {
        idleCheck = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            let timeout = origin.configuration.idleTimeout
            let idleFor = NIODeadline.now() - lastActivity
            if case .loading = state {
                scheduleIdleCheck(context: context, after: timeout)
            } else if case .closed = state {
                return
            } else if idleFor >= timeout {
                origin.logger.debug("closing idle connection", metadata: ["content.idle.ms": "\(idleFor.nanoseconds / 1_000_000)"])
                context.close(promise: nil)
            } else {
                scheduleIdleCheck(context: context, after: timeout - idleFor)
            }
        }
    }
}
