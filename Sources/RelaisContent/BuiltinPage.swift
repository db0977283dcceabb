import NIOCore
import NIOHTTP1

/// A page the content origin serves itself, outside `/b/`, under the reserved prefix `/_relais/`
/// (bundle URLs always start with `/b/`, so no bundle can shadow one): the SCORM player and the
/// wrapper of HTML5, video and PDF content, which must share the content's origin so that the
/// content, framed inside, finds `window.parent.API`.
///
/// The page has its own Content-Security-Policy (the bundles' sandbox would forbid what the
/// player must do: talk to the portal) and is not cached for long: it changes with the box.
public struct BuiltinPage: Sendable, Equatable {
    /// The reserved path prefix.
    public static let prefix = "/_relais/"

    public let body: String
    public let contentType: String
    public let contentSecurityPolicy: String

    public init(body: String, contentType: String = "text/html; charset=utf-8", contentSecurityPolicy: String) {
        self.body = body
        self.contentType = contentType
        self.contentSecurityPolicy = contentSecurityPolicy
    }

    /// The path of a request-target (query and fragment dropped) when it is under the prefix.
    static func path(of target: String) -> String? {
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" } ?? ""
        guard path.hasPrefix(prefix) else { return nil }
        return String(path)
    }
}

extension ContentConnectionHandler {
    /// Answers a request for a built-in page; false when the target names none.
    func answerBuiltinPage(_ request: ContentRequest, isHead: Bool, connection: ResponseHeadWriter.Connection, context: ChannelHandlerContext) -> Bool {
        guard let path = BuiltinPage.path(of: request.target), let page = origin.configuration.builtinPages[path] else { return false }
        var buffer = context.channel.allocator.buffer(capacity: 512 + page.body.utf8.count)
        buffer.writeString("HTTP/1.1 200 OK\r\nServer: \(origin.configuration.serverName)\r\nDate: \(resources.clock.date)\r\n")
        buffer.writeString("Content-Type: \(page.contentType)\r\nContent-Length: \(page.body.utf8.count)\r\n")
        buffer.writeString("Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n")
        buffer.writeString("Content-Security-Policy: \(page.contentSecurityPolicy)\r\n")
        switch connection {
        case .persistent: buffer.writeString("\r\n")
        case .keepAlive: buffer.writeString("Connection: keep-alive\r\n\r\n")
        case .close: buffer.writeString("Connection: close\r\n\r\n")
        }
        if !isHead { buffer.writeString(page.body) }
        count(200, bodyBytes: isHead ? 0 : Int64(page.body.utf8.count))
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
        needsFlush = true
        responseFinished(context: context)
        return true
    }
}
