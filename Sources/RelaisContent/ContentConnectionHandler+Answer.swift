import Logging
import NIOCore
import NIOHTTP1
import RelaisCore

extension ContentConnectionHandler {
    /// Bodies up to this size travel in the same buffer as the head.
    static let inlineBodyLimit: Int64 = 16 * 1024

    /// Answers one complete request: routing, then the file, an error or a bodiless answer.
    func answer(_ request: ContentRequest, context: ChannelHandlerContext) {
        let connection = connectionHeader(for: request)
        answeringHead = request.method == .head
        let isHead: Bool
        switch request.method {
        case .get: isHead = false
        case .head: isHead = true
        case .other:
            writeError(.methodNotAllowed, "Method not allowed: use GET or HEAD.\n", allow: "GET, HEAD", connection: connection, context: context)
            return
        }
        // RFC 9112 §3.2: an HTTP/1.1 request without Host is refused.
        if request.minorVersion >= 1, !request.hasHost {
            writeError(.badRequest, "Bad request: missing Host.\n", connection: connection, context: context)
            return
        }
        let routed = resources.targets.resolve(request.target)
        switch routed.target {
        case .badRequest:
            writeError(.badRequest, "Bad request: invalid path.\n", connection: connection, context: context)
        case .notFound:
            if answerBuiltinPage(request, isHead: isHead, connection: connection, context: context) { return }
            writeError(.notFound, "Not found.\n", connection: connection, context: context)
        case .file(let bundleID, let version, let path):
            switch scope {
            case .bundle(let own) where own != bundleID:
                writeError(.notFound, "Not found.\n", connection: connection, context: context)
                return
            case .shared:
                redirectToBundleOrigin(request, bundleID: bundleID, connection: connection, context: context)
                return
            case .bundle:
                break
            }
            guard let file = origin.catalog.lookup(bundleID: bundleID, version: version, path: path) else {
                writeError(.notFound, "Not found.\n", connection: connection, context: context)
                return
            }
            serve(file, contentType: routed.contentType, isHead: isHead, conditions: request.conditions, connection: connection, context: context)
        }
    }

    /// `/b/{id}/…` on the shared port: 307 to the same path on the bundle's own origin (the host
    /// the device used, the bundle's port), so old links keep working and no bundle runs here.
    private func redirectToBundleOrigin(_ request: ContentRequest, bundleID: String, connection: ResponseHeadWriter.Connection, context: ChannelHandlerContext) {
        guard let port = origin.bundleOrigins.port(of: bundleID), let host = request.host.flatMap(HostAuthority.init)?.host,
            request.target.hasPrefix("/")
        else {
            writeError(.notFound, "Not found.\n", connection: connection, context: context)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 256 + request.target.utf8.count)
        origin.headWriter.writeRedirect(
            location: "http://\(host):\(port)\(request.target)", includeBody: !answeringHead, connection: connection, clock: resources.clock,
            into: &buffer)
        count(307, bodyBytes: 0)
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
        needsFlush = true
        responseFinished(context: context)
    }

    /// Answers a head that could not be parsed, then closes: the byte stream cannot be trusted.
    func refuse(_ error: RequestHeadError, context: ChannelHandlerContext) {
        closeAfterResponse = true
        answeringHead = false
        switch error {
        case .malformed(let reason):
            origin.logger.debug("refused malformed request", metadata: ["content.reason": "\(reason)"])
            writeError(.badRequest, "Bad request.\n", connection: .close, context: context)
        case .tooLarge:
            writeError(.requestHeaderFieldsTooLarge, "Request header fields too large.\n", connection: .close, context: context)
        case .unsupportedVersion:
            writeError(.httpVersionNotSupported, "HTTP version not supported: use HTTP/1.1.\n", connection: .close, context: context)
        case .unsupportedTransferCoding:
            writeError(.notImplemented, "Request bodies are not accepted here.\n", connection: .close, context: context)
        }
    }

    /// Sends `file` as the plan decides: from memory when small, streamed from disk otherwise.
    private func serve(
        _ file: ContentFile,
        contentType: String,
        isHead: Bool,
        conditions: ContentRequest.Conditions,
        connection: ResponseHeadWriter.Connection,
        context: ChannelHandlerContext
    ) {
        let configuration = origin.configuration
        let plan = ContentResponsePlan.make(isHead: isHead, conditions: conditions, file: file, maximumRanges: configuration.maximumRanges)
        var multipart: MultipartLayout?
        if case .multipart(let ranges) = plan.kind {
            multipart = MultipartLayout(
                ranges: ranges, size: file.size, contentType: contentType,
                boundary: origin.boundary, allocator: context.channel.allocator
            )
        }
        // Room for a small body too: the hot path below copies it in to send one buffer.
        let inlineBody = file.size <= Self.inlineBodyLimit && plan.sendsBody ? Int(file.size) : 0
        var head = context.channel.allocator.buffer(capacity: 640 + configuration.contentSecurityPolicy.utf8.count + inlineBody)
        origin.headWriter.writeFileHead(
            plan, file: file, contentType: contentType, multipart: multipart,
            connection: connection, clock: resources.clock, into: &head
        )
        guard plan.sendsBody, file.size > 0 else {
            count(Int(plan.status.code), bodyBytes: 0)
            write(head, context: context)
            responseFinished(context: context)
            return
        }
        let isSmall = file.size <= Int64(configuration.smallFileThreshold)
        let cached = isSmall ? resources.cache.get(file.hash) : nil  // one LRU lookup per answer
        if case .full = plan.kind, let bytes = cached {
            count(200, bodyBytes: file.size)
            // The hot path: a whole small file from memory, no body description to build. Up to
            // a few KiB, copying the body behind the head is cheaper than a second queued write.
            if inlineBody > 0 {
                head.writeImmutableBuffer(bytes)
                write(head, context: context)
            } else {
                write(head, context: context)
                context.write(wrapOutboundOut(.byteBuffer(bytes)), promise: nil)
            }
            responseFinished(context: context)
            return
        }
        let body = ResponseBody(plan: plan, size: file.size, multipart: multipart)
        count(Int(plan.status.code), bodyBytes: body.length)
        if isSmall {
            if let bytes = cached {
                writeFromMemory(head: head, body: body, bytes: bytes, context: context)
            } else {
                loadSmallFile(file, head: head, body: body, connection: connection, context: context)
            }
        } else {
            openLargeFile(file, head: head, body: body, connection: connection, context: context)
        }
    }

    private func writeFromMemory(head: ByteBuffer, body: ResponseBody, bytes: ByteBuffer, context: ChannelHandlerContext) {
        write(head, context: context)
        for slice in body.slices(of: bytes) {
            context.write(wrapOutboundOut(slice), promise: nil)
        }
        responseFinished(context: context)
    }

    /// Reads a small blob on the thread pool, keeps it in this loop's cache, then answers.
    private func loadSmallFile(
        _ file: ContentFile, head: ByteBuffer, body: ResponseBody,
        connection: ResponseHeadWriter.Connection, context: ChannelHandlerContext
    ) {
        state = .loading
        let io = origin.fileIO
        let loop = context.eventLoop
        let allocator = context.channel.allocator
        let read = io.openFile(_deprecatedPath: file.blobPath, eventLoop: loop).flatMap {
            (handle: NIOFileHandle, region: FileRegion) -> EventLoopFuture<ByteBuffer> in
            guard Int64(region.readableBytes) == file.size else {
                try? handle.close()
                return loop.makeFailedFuture(BlobSizeMismatch(expected: file.size, found: Int64(region.readableBytes)))
            }
            return io.read(fileRegion: region, allocator: allocator, eventLoop: loop).always { _ in try? handle.close() }
        }
        read.assumeIsolated().whenComplete { [self] (result: Result<ByteBuffer, any Error>) in
            if case .closed = state { return }
            switch result {
            case .success(let bytes) where Int64(bytes.readableBytes) == file.size:
                resources.cache.insert(file.hash, bytes)
                state = .idle
                writeFromMemory(head: head, body: body, bytes: bytes, context: context)
            case .success(let bytes):
                blobFailed(file, BlobSizeMismatch(expected: file.size, found: Int64(bytes.readableBytes)), connection: connection, context: context)
            case .failure(let error):
                blobFailed(file, error, connection: connection, context: context)
            }
            flushIfNeeded(context: context)
        }
    }

    /// Opens a large blob on the thread pool, then streams it chunk by chunk as the socket drains.
    private func openLargeFile(
        _ file: ContentFile, head: ByteBuffer, body: ResponseBody,
        connection: ResponseHeadWriter.Connection, context: ChannelHandlerContext
    ) {
        state = .loading
        let opened = origin.fileIO.openFile(_deprecatedPath: file.blobPath, eventLoop: context.eventLoop)
        opened.assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let (handle, region)):
                if case .closed = state {
                    try? handle.close()
                    return
                }
                guard Int64(region.readableBytes) == file.size else {
                    try? handle.close()
                    blobFailed(file, BlobSizeMismatch(expected: file.size, found: Int64(region.readableBytes)), connection: connection, context: context)
                    flushIfNeeded(context: context)
                    return
                }
                state = .streaming(FileBodyStream(handle: handle, head: head, body: body, chunkSize: origin.configuration.streamChunkSize))
                pump(context: context)
            case .failure(let error):
                if case .closed = state { return }
                blobFailed(file, error, connection: connection, context: context)
                flushIfNeeded(context: context)
            }
        }
    }

    /// Hands the stream's next pieces to the channel while it is writable; the rest waits for
    /// `channelWritabilityChanged`, so at most about one chunk is queued per connection.
    func pump(context: ChannelHandlerContext) {
        guard case .streaming(var stream) = state else { return }
        state = .loading  // drop the enum's copy so `stream` is uniquely referenced while it advances
        while context.channel.isWritable, let (data, isLast) = stream.next() {
            if isLast {
                let handle = stream.handle
                let written = context.eventLoop.makePromise(of: Void.self)
                context.writeAndFlush(wrapOutboundOut(data), promise: written)
                written.futureResult.whenComplete { _ in try? handle.close() }
                lastActivity = .now()
                responseFinished(context: context)
                flushIfNeeded(context: context)
                return
            }
            context.write(wrapOutboundOut(data), promise: nil)
        }
        state = .streaming(stream)
        lastActivity = .now()
        context.flush()
    }

    /// A blob the catalog promised is missing or damaged: the store is at fault, not the client.
    private func blobFailed(_ file: ContentFile, _ error: any Error, connection: ResponseHeadWriter.Connection, context: ChannelHandlerContext) {
        origin.logger.error(
            "cannot read blob",
            metadata: ["content.blob.path": "\(file.blobPath)", "content.blob.hash": "\(file.hash.hex)", "content.error": "\(error)"]
        )
        state = .idle
        writeError(.internalServerError, "Internal error: this file cannot be read.\n", connection: connection, context: context)
    }

    /// Writes a complete plain-text error answer (without its body when answering a HEAD).
    func writeError(
        _ status: HTTPResponseStatus, _ message: String, allow: String? = nil,
        connection: ResponseHeadWriter.Connection, context: ChannelHandlerContext
    ) {
        var buffer = context.channel.allocator.buffer(capacity: 256 + message.utf8.count)
        origin.headWriter.writeError(
            status, message: message, allow: allow, includeBody: !answeringHead,
            connection: connection, clock: resources.clock, into: &buffer
        )
        count(Int(status.code), bodyBytes: answeringHead ? 0 : Int64(message.utf8.count))
        write(buffer, context: context)
        responseFinished(context: context)
    }

    private func write(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
        needsFlush = true
    }
}

/// A blob whose length differs from what the catalog recorded at import.
struct BlobSizeMismatch: Error, CustomStringConvertible {
    let expected: Int64
    let found: Int64
    var description: String { "blob holds \(found) bytes, the catalog expects \(expected): re-import the bundle" }
}
