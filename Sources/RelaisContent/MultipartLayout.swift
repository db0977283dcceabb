import NIOCore

/// The framing of a `multipart/byteranges` body (RFC 9110 §14.6), computed before any byte is sent.
///
/// The part headers are small and built up front so the exact Content-Length is known; the part
/// bodies are not held here: the handler streams each one from the cache or the file in turn.
struct MultipartLayout: Sendable {
    /// The boundary delimiter (without the leading dashes).
    let boundary: String
    /// The ranges, in the client's order.
    let ranges: [ByteRange]
    /// For each range, the delimiter and part headers that precede its bytes.
    let partHeads: [ByteBuffer]
    /// The closing delimiter.
    let closing: ByteBuffer

    /// Lays out the parts for a representation of `size` bytes of type `contentType`.
    init(ranges: [ByteRange], size: Int64, contentType: String, boundary: String, allocator: ByteBufferAllocator = .init()) {
        self.boundary = boundary
        self.ranges = ranges
        partHeads = ranges.enumerated().map { index, range in
            var head = allocator.buffer(capacity: 128 + boundary.utf8.count + contentType.utf8.count)
            // Each part's CRLF before the delimiter belongs to the delimiter, so only the first
            // part starts without one.
            head.writeString(index == 0 ? "--" : "\r\n--")
            head.writeString(boundary)
            head.writeString("\r\nContent-Type: ")
            head.writeString(contentType)
            head.writeString("\r\nContent-Range: bytes ")
            head.writeDecimal(range.first)
            head.writeString("-")
            head.writeDecimal(range.last)
            head.writeString("/")
            head.writeDecimal(size)
            head.writeString("\r\n\r\n")
            return head
        }
        var closing = allocator.buffer(capacity: boundary.utf8.count + 8)
        closing.writeString("\r\n--")
        closing.writeString(boundary)
        closing.writeString("--\r\n")
        self.closing = closing
    }

    /// The `Content-Type` of the whole response.
    var contentType: String { "multipart/byteranges; boundary=\(boundary)" }

    /// The exact body length: every part head, every range and the closing delimiter.
    var contentLength: Int64 {
        partHeads.reduce(Int64(closing.readableBytes)) { $0 + Int64($1.readableBytes) }
            + ranges.reduce(0) { $0 + $1.length }
    }

    /// A boundary that cannot be guessed by the content, fixed per server: 24 random hex digits.
    static func randomBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt32
        let digits = String(high, radix: 16) + String(low, radix: 16)
        return "relais-" + String(repeating: "0", count: max(0, 24 - digits.count)) + digits
    }
}
