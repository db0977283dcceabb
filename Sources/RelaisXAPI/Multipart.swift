import Crypto
import RelaisCore

/// `multipart/mixed` bodies (RFC 2046 5.1) as xAPI uses them for statements with attachments
/// (xAPI-Communication 1.5.2): the first part the statements as JSON, then one part per
/// attachment, each named by its `X-Experience-API-Hash`.
///
/// Hand-written on purpose: the body is already buffered and bounded by the LRS, the grammar
/// is a boundary search and a header block, and a package for it would cost a dependency and
/// its build on every box for some sixty lines.
public struct MultipartPart: Sendable, Equatable {
    /// Header names lowercased, values trimmed.
    public var headers: [String: String]
    /// A slice of the request body: parts are not copied out of it.
    public var body: ArraySlice<UInt8>

    public init(headers: [String: String], body: ArraySlice<UInt8>) {
        self.headers = headers
        self.body = body
    }

    public init(headers: [String: String], body: [UInt8]) {
        self.init(headers: headers, body: body[...])
    }
}

public enum Multipart {
    /// The `boundary` parameter of a multipart Content-Type, unquoted; nil when absent.
    public static func boundary(ofContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces.lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingSpaces
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The parts of `body`, refused (400) when a delimiter, the closing delimiter or a part's
    /// header block is missing.
    public static func parse(_ body: [UInt8], boundary: String) throws(XAPIError) -> [MultipartPart] {
        let dash = Array(("--" + boundary).utf8)
        let delimiter = [0x0D, 0x0A] + dash
        // The first delimiter may open the body directly (no preamble) or follow a preamble.
        guard var at = body.starts(with: dash) ? 0 : find(delimiter, in: body[...], from: 0).map({ $0 + 2 }) else {
            throw .badRequest("multipart body has no --\(boundary) delimiter: check the boundary of Content-Type")
        }
        var parts: [MultipartPart] = []
        while true {
            at += dash.count
            if body.count >= at + 2, body[at] == UInt8(ascii: "-"), body[at + 1] == UInt8(ascii: "-") { return parts }
            // Transport padding, then CRLF.
            while at < body.count, body[at] == 0x20 || body[at] == 0x09 { at += 1 }
            guard at + 1 < body.count, body[at] == 0x0D, body[at + 1] == 0x0A else {
                throw .badRequest("multipart body: a delimiter is not followed by CRLF (part \(parts.count + 1))")
            }
            at += 2
            guard let next = find(delimiter, in: body[...], from: at) else {
                throw .badRequest("multipart body ends without the closing --\(boundary)-- delimiter")
            }
            parts.append(try part(body[at..<next], number: parts.count + 1))
            at = next + 2
        }
    }

    static func part(_ bytes: ArraySlice<UInt8>, number: Int) throws(XAPIError) -> MultipartPart {
        let separator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        let headerEnd: Int
        let bodyStart: Int
        if bytes.starts(with: [0x0D, 0x0A]) {
            headerEnd = bytes.startIndex
            bodyStart = bytes.startIndex + 2
        } else if let end = find(separator, in: bytes, from: bytes.startIndex) {
            headerEnd = end
            bodyStart = end + 4
        } else {
            throw .badRequest("multipart part \(number) has no blank line after its headers")
        }
        var headers: [String: String] = [:]
        guard let text = String(validating: bytes[bytes.startIndex..<headerEnd], as: UTF8.self) else {
            throw .badRequest("multipart part \(number) has headers that are not UTF-8")
        }
        for line in text.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { throw .badRequest("multipart part \(number): header line without a colon") }
            headers[line[..<colon].trimmingSpaces.lowercased()] = line[line.index(after: colon)...].trimmingSpaces
        }
        return MultipartPart(headers: headers, body: bytes[bodyStart...])
    }

    /// The index of the first `needle` in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from: Int) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        let last = haystack.endIndex - needle.count
        var i = max(from, haystack.startIndex)
        while i <= last {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// A multipart/mixed body: each part's headers (in the order given) then its bytes.
    public static func render(_ parts: [(headers: [(String, String)], body: ArraySlice<UInt8>)], boundary: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.body.count + 200 })
        for part in parts {
            out.append(contentsOf: Array("--\(boundary)\r\n".utf8))
            for (name, value) in part.headers { out.append(contentsOf: Array("\(name): \(value)\r\n".utf8)) }
            out.append(contentsOf: [0x0D, 0x0A])
            out.append(contentsOf: part.body)
            out.append(contentsOf: [0x0D, 0x0A])
        }
        out.append(contentsOf: Array("--\(boundary)--\r\n".utf8))
        return out
    }

    /// A fresh boundary (random hex), which cannot occur in the parts by chance.
    public static func randomBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        return "relais-" + Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The hex SHA-2 of `bytes` with the length of `like` (64: SHA-256, 96: SHA-384, 128:
    /// SHA-512); nil for another length.
    public static func sha2(_ bytes: ArraySlice<UInt8>, like hash: String) -> String? {
        bytes.withUnsafeBytes { raw in
            switch hash.utf8.count {
            case 64: Hex.encode(SHA256.hash(data: raw))
            case 96: Hex.encode(SHA384.hash(data: raw))
            case 128: Hex.encode(SHA512.hash(data: raw))
            default: nil
            }
        }
    }

    public static func sha2(_ bytes: [UInt8], like hash: String) -> String? { sha2(bytes[...], like: hash) }
}
