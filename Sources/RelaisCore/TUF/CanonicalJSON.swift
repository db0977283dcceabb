/// A JSON value as TUF metadata carries it, and its canonical form: the bytes that signatures
/// cover, exactly as securesystemslib's `encode_canonical` writes them — object keys sorted by
/// Unicode code point, no whitespace, only `"` and `\` escaped, integers only (a float is invalid).
///
/// Hand-written because no library here both encodes this form and parses strictly (duplicate
/// keys and floats refused); the TUF client of the next issue signs and verifies through it.
public indirect enum CanonicalJSON: Equatable, Sendable {
    case object([String: CanonicalJSON])
    case array([CanonicalJSON])
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null

    /// The canonical bytes (UTF-8).
    public func canonicalBytes() -> [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    private func write(into out: inout [UInt8]) {
        switch self {
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted(by: CanonicalJSON.codePointOrder).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                CanonicalJSON.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                members[key]!.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .string(let text):
            CanonicalJSON.writeString(text, into: &out)
        case .integer(let value):
            out.append(contentsOf: String(value).utf8)
        case .bool(let value):
            out.append(contentsOf: (value ? "true" : "false").utf8)
        case .null:
            out.append(contentsOf: "null".utf8)
        }
    }

    /// securesystemslib escapes only the quote and the backslash; every other character,
    /// control characters included, is written as its UTF-8 bytes.
    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Python's `sorted()` on str: lexicographic by Unicode scalar value (not Swift's `<`, which
    /// compares canonically equivalent strings as equal).
    static func codePointOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    /// The member `key` of an object, if this is one and has it.
    public subscript(key: String) -> CanonicalJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}
