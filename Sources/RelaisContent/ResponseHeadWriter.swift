import NIOCore
import NIOHTTP1

/// Serialises response heads straight into a `ByteBuffer`.
///
/// The origin writes raw HTTP/1.1 rather than going through `HTTPResponseEncoder`: the headers
/// that are the same on every file response (cache policy, CSP, nosniff…) are rendered once per
/// server and copied in with one memcpy, and numbers are written without intermediate Strings.
struct ResponseHeadWriter: Sendable {
    /// What the response says about the connection.
    enum Connection: Sendable {
        /// HTTP/1.1 persistent: nothing to say.
        case persistent
        /// HTTP/1.0 client that asked to keep the connection.
        case keepAlive
        /// The server closes after this response.
        case close
    }

    private let serverLine: String
    /// `HTTP/1.1 200 OK` and the Server line, the start of almost every answer, rendered once.
    private let okStart: ByteBuffer
    private let representationHeaders: ByteBuffer
    private static let cacheControl = "Cache-Control: public, max-age=31536000, immutable\r\n"

    /// Renders the headers shared by every file response once.
    init(serverName: String, contentSecurityPolicy: String) {
        serverLine = "Server: \(serverName)\r\n"
        okStart = ByteBuffer(string: "HTTP/1.1 200 OK\r\n" + serverLine)
        var shared = ByteBuffer()
        shared.writeString("Accept-Ranges: bytes\r\n")
        shared.writeString(Self.cacheControl)
        shared.writeString("X-Content-Type-Options: nosniff\r\n")
        shared.writeString("Content-Security-Policy: \(contentSecurityPolicy)\r\n")
        representationHeaders = shared
    }

    /// Writes the head of an answer to a known file, as `plan` decided it.
    func writeFileHead(
        _ plan: ContentResponsePlan,
        file: ContentFile,
        contentType: String,
        multipart: MultipartLayout?,
        connection: Connection,
        clock: HTTPDateClock,
        into buffer: inout ByteBuffer
    ) {
        writeStart(plan.status, clock: clock, into: &buffer)
        switch plan.kind {
        case .full, .partial, .multipart:
            buffer.writeString("Content-Type: ")
            buffer.writeString(multipart?.contentType ?? contentType)
            buffer.writeString("\r\nContent-Length: ")
            switch plan.kind {
            case .partial(let range):
                buffer.writeDecimal(range.length)
                buffer.writeString("\r\nContent-Range: bytes ")
                buffer.writeDecimal(range.first)
                buffer.writeString("-")
                buffer.writeDecimal(range.last)
                buffer.writeString("/")
                buffer.writeDecimal(file.size)
            case .multipart:
                buffer.writeDecimal(multipart?.contentLength ?? 0)
            default:
                buffer.writeDecimal(file.size)
            }
            buffer.writeString("\r\n")
            writeValidators(file, clock: clock, into: &buffer)
            buffer.writeImmutableBuffer(representationHeaders)
        case .notModified:
            writeValidators(file, clock: clock, into: &buffer)
            buffer.writeString(Self.cacheControl)
        case .preconditionFailed:
            buffer.writeString("Content-Length: 0\r\n")
        case .rangeNotSatisfiable:
            buffer.writeString("Content-Length: 0\r\nAccept-Ranges: bytes\r\nContent-Range: bytes */")
            buffer.writeDecimal(file.size)
            buffer.writeString("\r\n")
        }
        writeEnd(connection, into: &buffer)
    }

    /// Writes a short plain-text error answer, head and (unless answering a HEAD) body.
    ///
    /// `no-cache` because a 404 is heuristically cacheable and the URL may start working as soon
    /// as the bundle is imported.
    func writeError(
        _ status: HTTPResponseStatus,
        message: String,
        allow: String? = nil,
        includeBody: Bool = true,
        connection: Connection,
        clock: HTTPDateClock,
        into buffer: inout ByteBuffer
    ) {
        writeStart(status, clock: clock, into: &buffer)
        buffer.writeString("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ")
        buffer.writeDecimal(Int64(message.utf8.count))
        buffer.writeString("\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n")
        if let allow { buffer.writeString("Allow: \(allow)\r\n") }
        writeEnd(connection, into: &buffer)
        if includeBody { buffer.writeString(message) }
    }

    /// A 307 to `location` (a bundle's own origin), never cached: ports of tests are not stable.
    func writeRedirect(location: String, includeBody: Bool, connection: Connection, clock: HTTPDateClock, into buffer: inout ByteBuffer) {
        let message = "Moved to the bundle's own origin: \(location)\n"
        writeStart(.temporaryRedirect, clock: clock, into: &buffer)
        buffer.writeString("Location: \(location)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ")
        buffer.writeDecimal(Int64(message.utf8.count))
        buffer.writeString("\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n")
        writeEnd(connection, into: &buffer)
        if includeBody { buffer.writeString(message) }
    }

    private func writeStart(_ status: HTTPResponseStatus, clock: HTTPDateClock, into buffer: inout ByteBuffer) {
        if status == .ok {
            buffer.writeImmutableBuffer(okStart)
        } else {
            buffer.writeString("HTTP/1.1 ")
            buffer.writeDecimal(Int64(status.code))
            buffer.writeString(" ")
            buffer.writeString(status.reasonPhrase)
            buffer.writeString("\r\n")
            buffer.writeString(serverLine)
        }
        buffer.writeString("Date: ")
        buffer.writeString(clock.date)
        buffer.writeString("\r\n")
    }

    private func writeValidators(_ file: ContentFile, clock: HTTPDateClock, into buffer: inout ByteBuffer) {
        buffer.writeString("ETag: \"")
        buffer.writeString(file.hash.hex)
        buffer.writeString("\"\r\nLast-Modified: ")
        buffer.writeString(clock.lastModified(file.lastModified))
        buffer.writeString("\r\n")
    }

    private func writeEnd(_ connection: Connection, into buffer: inout ByteBuffer) {
        switch connection {
        case .persistent: buffer.writeString("\r\n")
        case .keepAlive: buffer.writeString("Connection: keep-alive\r\n\r\n")
        case .close: buffer.writeString("Connection: close\r\n\r\n")
        }
    }
}
