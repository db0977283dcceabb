import Logging
import NIOCore

/// One HTTP/1.1 connection of the content origin: keep-alive, pipelining, backpressure, idle and
/// header-read timeouts.
///
/// It sits alone in the pipeline and parses request heads from the socket's bytes itself (see
/// `RequestHeadParser`). Requests are answered in order, synchronously on the event loop when the
/// bytes are in the cache; only a cache miss or a large file waits for the thread pool (to open
/// the blob). While an answer is pending, later pipelined requests queue here and the socket is
/// not read further, so a client cannot make the server buffer more than one read's worth.
final class ContentConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// A request waiting for its answer, or a head that could not be parsed.
    enum Pending {
        case request(ContentRequest)
        case refused(RequestHeadError)
    }

    /// A request body larger than this is not skipped: the connection closes after the answer.
    static let maximumSkippedBody: Int64 = 64 * 1024

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
    /// What the port this connection came in on serves.
    let scope: ContentScope
    var state: State = .idle
    /// Set once a response said `Connection: close`: nothing more is read or answered.
    var closeAfterResponse = false
    /// Set when the server is shutting down: the next response closes the connection.
    private var quiescing = false
    /// Received bytes not parsed yet (nil when none, so NIO can reuse its receive buffer).
    private var received: ByteBuffer?
    /// Where the search for the end of a partial head resumes.
    private var resumeAt = 0
    /// Bytes of a request body still to be skipped.
    private var bodyToSkip: Int64 = 0
    /// Set after a refused head or an oversized body: nothing after it is parsed.
    private var stopParsing = false
    private var pending = CircularBuffer<Pending>(initialCapacity: 4)
    private var readHeld = false
    var needsFlush = false
    /// Whether the request being answered is a HEAD, whose answers (errors included) carry no body.
    var answeringHead = false
    var lastActivity = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?
    /// When the first byte of the head being received arrived; nil between requests.
    private var headStartedAt: NIODeadline?
    private var headerCheck: Scheduled<Void>?

    /// A handler for one accepted connection.
    init(origin: ContentOrigin, resources: LoopResources, scope: ContentScope = .shared) {
        self.origin = origin
        self.resources = resources
        self.scope = scope
    }

    func handlerAdded(context: ChannelHandlerContext) {
        scheduleIdleCheck(context: context, after: origin.configuration.idleTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        headerCheck?.cancel()
        releaseStream()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        headerCheck?.cancel()
        releaseStream()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !stopParsing else { return }
        var incoming = unwrapInboundIn(data)
        if received == nil {
            received = incoming
        } else {
            received!.discardReadBytes()
            received!.writeBuffer(&incoming)
        }
        parseReceived(context: context)
        answerPending(context: context)
        watchPartialHead(context: context)
    }

    /// Answers or queues every complete head received so far, skipping request bodies.
    private func parseReceived(context: ChannelHandlerContext) {
        while !stopParsing, let available = received?.readableBytes, available > 0 {
            if bodyToSkip > 0 {
                let skipped = Int(min(bodyToSkip, Int64(available)))
                received!.moveReaderIndex(forwardBy: skipped)
                bodyToSkip -= Int64(skipped)
                continue
            }
            let outcome = received!.withUnsafeReadableBytes { RequestHeadParser.parse($0, resumeAt: resumeAt) }
            switch outcome {
            case .incomplete(let resume):
                resumeAt = resume
                return
            case .complete(var request, let length):
                received!.moveReaderIndex(forwardBy: length)
                resumeAt = 0
                headStartedAt = nil
                bodyToSkip = request.contentLength
                // Skipping a big body costs bandwidth for nothing, and after `Expect: 100-continue`
                // the client may never send it: answer, then close.
                if request.contentLength > Self.maximumSkippedBody || (request.expectsContinue && request.contentLength > 0) {
                    request.keepAlive = false
                    stopParsing = true
                }
                if pending.isEmpty, case .idle = state, !closeAfterResponse, context.channel.isWritable {
                    // Nothing is waiting ahead of it: answer now rather than copy it through the queue.
                    answer(request, context: context)
                } else {
                    pending.append(.request(request))
                }
            case .invalid(let error):
                pending.append(.refused(error))
                stopParsing = true
            }
        }
        if received?.readableBytes == 0 { received = nil }
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
        if case .idle = state, pending.isEmpty, received == nil {
            closeAfterWrites(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Answers queued requests in order while nothing is pending and the socket accepts more.
    func answerPending(context: ChannelHandlerContext) {
        while case .idle = state, !closeAfterResponse, context.channel.isWritable, let next = pending.popFirst() {
            switch next {
            case .request(let request): answer(request, context: context)
            case .refused(let error): refuse(error, context: context)
            }
        }
        if closeAfterResponse { return }
        if case .idle = state, pending.isEmpty {
            if quiescing, received == nil {
                closeAfterWrites(context: context)
            } else if readHeld {
                readHeld = false
                // A head cut by backpressure was waiting on this side, not on the client.
                if headStartedAt != nil { headStartedAt = .now() }
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

    /// Whether the response to `request` may leave the connection open, and how to say so.
    func connectionHeader(for request: ContentRequest) -> ResponseHeadWriter.Connection {
        guard request.keepAlive, !quiescing else {
            closeAfterResponse = true
            return .close
        }
        return request.minorVersion == 0 ? .keepAlive : .persistent
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

    /// Starts the header-read clock when the bytes received so far end in part of a head.
    private func watchPartialHead(context: ChannelHandlerContext) {
        guard !stopParsing, bodyToSkip == 0, let partial = received, partial.readableBytes > 0 else {
            headStartedAt = nil
            return
        }
        guard headStartedAt == nil else { return }
        headStartedAt = .now()
        if headerCheck == nil { scheduleHeaderCheck(context: context, after: origin.configuration.headerTimeout) }
    }

    /// Answers 408 and closes when a head that started arriving is still incomplete after the
    /// header timeout, while this side was ready to read it (not answering, not held back).
    private func scheduleHeaderCheck(context: ChannelHandlerContext, after delay: TimeAmount) {
        headerCheck = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            headerCheck = nil
            guard let started = headStartedAt, !stopParsing, !closeAfterResponse else { return }
            if case .closed = state { return }
            let timeout = origin.configuration.headerTimeout
            let waited = NIODeadline.now() - started
            guard case .idle = state, pending.isEmpty, !readHeld else {
                // Busy answering earlier requests: the clock restarts when reading resumes.
                scheduleHeaderCheck(context: context, after: timeout)
                return
            }
            guard waited >= timeout else {
                scheduleHeaderCheck(context: context, after: timeout - waited)
                return
            }
            origin.logger.debug("closing a connection whose request head did not arrive in time", metadata: ["content.waited.ms": "\(waited.nanoseconds / 1_000_000)"])
            stopParsing = true
            received = nil
            headStartedAt = nil
            closeAfterResponse = true
            answeringHead = false
            writeError(.requestTimeout, "Request timeout: the request head did not arrive in time; send it whole.\n", connection: .close, context: context)
            flushIfNeeded(context: context)
        }
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
