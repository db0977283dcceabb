/// Why a request head was refused; each case maps to the status the origin answers (then closes).
package enum RequestHeadError: Error, Equatable, Sendable {
    /// 400: not HTTP/1.x syntax (says what was wrong, for the debug log).
    case malformed(String)
    /// 431: the head exceeds the size or field-count limit.
    case tooLarge
    /// 505: a version other than HTTP/1.0 or HTTP/1.1.
    case unsupportedVersion
    /// 501: a request body in a transfer coding (the origin reads no request bodies).
    case unsupportedTransferCoding
}

/// A strict RFC 9112 request-head parser that keeps only what the content origin acts on.
///
/// Why not NIO's `HTTPRequestDecoder`: it builds a `String` pair for every field and boxes each
/// part through the pipeline, which cost more than the rest of a cached 4 KiB answer. This
/// parser works on the received bytes in place and allocates only for the target and the few
/// fields the origin reads. It is strict where leniency enables smuggling (no obs-fold, no
/// whitespace before the colon, one Content-Length, no Transfer-Encoding) and lenient where RFC
/// 9112 allows (bare LF line ends, empty lines before the request-line).
package enum RequestHeadParser {
    /// Result of looking at the bytes received so far.
    package enum Outcome: Equatable, Sendable {
        /// No complete head yet; resume the search for its end at `resumeAt` next time.
        case incomplete(resumeAt: Int)
        /// A head of `length` bytes (leading empty lines included).
        case complete(ContentRequest, length: Int)
        /// The head cannot be served.
        case invalid(RequestHeadError)
    }

    /// Largest accepted head, in bytes.
    static let maximumHeadSize = 16 * 1024
    /// Most header fields accepted in one head.
    static let maximumFieldCount = 100

    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    /// Parses the head at the start of `bytes`; `resumeAt` comes from a previous `.incomplete`.
    package static func parse(_ bytes: UnsafeRawBufferPointer, resumeAt: Int = 0) -> Outcome {
        var start = 0
        while start < bytes.count, bytes[start] == cr || bytes[start] == lf { start += 1 }
        if start > maximumHeadSize { return .invalid(.malformed("empty lines instead of a request")) }
        guard let end = headEnd(bytes, from: max(start, resumeAt)) else {
            if bytes.count - start > maximumHeadSize { return .invalid(.tooLarge) }
            return .incomplete(resumeAt: max(start, bytes.count - 3))
        }
        if end - start > maximumHeadSize { return .invalid(.tooLarge) }
        do {
            return .complete(try parseHead(UnsafeRawBufferPointer(rebasing: bytes[start..<end])), length: end)
        } catch {
            return .invalid(error)
        }
    }

    /// The offset just past the empty line that ends the head, if it has arrived.
    private static func headEnd(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        var index = from
        while index < bytes.count {
            if bytes[index] == lf {
                if index + 1 < bytes.count, bytes[index + 1] == lf { return index + 2 }
                if index + 2 < bytes.count, bytes[index + 1] == cr, bytes[index + 2] == lf { return index + 3 }
            }
            index += 1
        }
        return nil
    }

    private static func parseHead(_ head: UnsafeRawBufferPointer) throws(RequestHeadError) -> ContentRequest {
        var lineStart = 0
        var request: ContentRequest?
        var fieldCount = 0
        var sawClose = false
        var sawKeepAlive = false
        var contentLength: Int64?
        while lineStart < head.count {
            guard let newline = head[lineStart...].firstIndex(of: lf) else { throw .malformed("unterminated line") }
            var lineEnd = newline
            if lineEnd > lineStart, head[lineEnd - 1] == cr { lineEnd -= 1 }
            let line = UnsafeRawBufferPointer(rebasing: head[lineStart..<lineEnd])
            lineStart = newline + 1
            if line.isEmpty { break }
            if request == nil {
                request = try parseRequestLine(line)
                continue
            }
            fieldCount += 1
            if fieldCount > maximumFieldCount { throw .tooLarge }
            try parseField(line, into: &request!, close: &sawClose, keepAlive: &sawKeepAlive, contentLength: &contentLength)
        }
        guard var parsed = request else { throw .malformed("no request line") }
        parsed.contentLength = contentLength ?? 0
        parsed.keepAlive = parsed.minorVersion == 1 ? !sawClose : (sawKeepAlive && !sawClose)
        return parsed
    }

    /// `method SP request-target SP HTTP-version`
    private static func parseRequestLine(_ line: UnsafeRawBufferPointer) throws(RequestHeadError) -> ContentRequest {
        guard let firstSpace = line.firstIndex(of: space), let lastSpace = line.lastIndex(of: space), firstSpace < lastSpace
        else { throw .malformed("request line is not method, target and version") }
        let method = line[..<firstSpace]
        let target = line[(firstSpace + 1)..<lastSpace]
        let version = line[(lastSpace + 1)...]
        guard !method.isEmpty, method.allSatisfy(isTokenByte) else { throw .malformed("bad method") }
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { throw .malformed("bad request-target") }
        let minor: Int
        if version.elementsEqual("HTTP/1.1".utf8) {
            minor = 1
        } else if version.elementsEqual("HTTP/1.0".utf8) {
            minor = 0
        } else if version.count == 8, version.starts(with: "HTTP/".utf8) {
            throw .unsupportedVersion
        } else {
            throw .malformed("bad HTTP version")
        }
        let kind: ContentRequest.Method
        if method.elementsEqual("GET".utf8) {
            kind = .get
        } else if method.elementsEqual("HEAD".utf8) {
            kind = .head
        } else {
            kind = .other
        }
        return ContentRequest(
            method: kind, target: String(decoding: target, as: UTF8.self), minorVersion: minor, keepAlive: true,
            hasHost: false, contentLength: 0, expectsContinue: false, conditions: .init()
        )
    }

    /// `field-name ":" OWS field-value OWS`, keeping only the fields the origin reads.
    private static func parseField(
        _ line: UnsafeRawBufferPointer, into request: inout ContentRequest,
        close: inout Bool, keepAlive: inout Bool, contentLength: inout Int64?
    ) throws(RequestHeadError) {
        if line[0] == space || line[0] == tab { throw .malformed("obsolete line folding") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .malformed("field without colon") }
        let name = line[..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else { throw .malformed("bad field name") }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == space || line[valueStart] == tab { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == space || line[valueEnd - 1] == tab { valueEnd -= 1 }
        let value = line[valueStart..<valueEnd]
        guard value.allSatisfy({ $0 >= 0x20 ? $0 != 0x7F : $0 == tab }) else { throw .malformed("control character in a field") }

        guard let known = knownName(name) else { return }
        switch known {
        case "host":
            request.hasHost = true
            request.host = String(decoding: value, as: UTF8.self)
        case "connection":
            for option in value.split(separator: UInt8(ascii: ",")) {
                let token = option.trimmingSpaces
                if equalsIgnoringCase(token, "close") { close = true }
                if equalsIgnoringCase(token, "keep-alive") { keepAlive = true }
            }
        case "content-length":
            guard !value.isEmpty, value.count <= 18, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .malformed("bad Content-Length")
            }
            let length = value.reduce(Int64(0)) { $0 * 10 + Int64($1 - 0x30) }
            if let previous = contentLength, previous != length { throw .malformed("conflicting Content-Length") }
            contentLength = length
        case "transfer-encoding":
            throw .unsupportedTransferCoding
        case "expect":
            request.expectsContinue = equalsIgnoringCase(value, "100-continue")
        default:
            request.conditions.record(lowercasedName: known, value: String(decoding: value, as: UTF8.self))
        }
    }

    private static let knownNames: [String] = [
        "host", "connection", "content-length", "transfer-encoding", "expect", "range", "if-range",
        "if-match", "if-none-match", "if-modified-since", "if-unmodified-since",
    ]

    /// The lower-case name when it is one the origin reads; nil for the many it ignores.
    private static func knownName(_ name: Slice<UnsafeRawBufferPointer>) -> String? {
        for candidate in knownNames where candidate.utf8.count == name.count && equalsIgnoringCase(name, candidate) {
            return candidate
        }
        return nil
    }

    private static func equalsIgnoringCase<C: Collection<UInt8>>(_ bytes: C, _ lowercase: String) -> Bool {
        bytes.count == lowercase.utf8.count
            && zip(bytes, lowercase.utf8).allSatisfy { ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }
}
