/// How the writer escapes strings.
public enum JSONStringEscaping: Sendable {
    /// RFC 8259: `"`, `\` and every control character escaped (`\n`, `\u0001`…).
    case json
    /// securesystemslib's `encode_canonical`, the bytes TUF signatures cover: only `"` and `\`
    /// escaped; every other character, control characters included, written as its UTF-8 bytes.
    case securesystemslib
}

extension JSONValue {
    /// Compact JSON, object keys sorted by Unicode code point, so equal values always give the same
    /// bytes (stored bodies, ETags and tests compare bytes).
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, escaping: .json)
        return out
    }

    /// The TUF canonical form (securesystemslib's `encode_canonical`): keys sorted by code point,
    /// no whitespace, only `"` and `\` escaped. TUF documents hold integers only (they are parsed
    /// with `.integersOnly` and built with integers); a double would be written as in `serialized()`.
    public func canonicalBytes() -> [UInt8] {
        var out: [UInt8] = []
        write(to: &out, escaping: .securesystemslib)
        return out
    }

    /// Appends the compact form to `out` (to build a response of many statements in one buffer).
    /// Sorting by UTF-8 bytes is sorting by code point, as Python's `sorted()` on `str` does (not
    /// Swift's `<` on String, which compares canonically equivalent strings as equal).
    public func write(to out: inout [UInt8], escaping: JSONStringEscaping = .json) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .integer(let i): out.append(contentsOf: String(i).utf8)
        case .number(let d): out.append(contentsOf: Self.text(of: d).utf8)
        case .string(let s): Self.writeString(s, to: &out, escaping: escaping)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                element.write(to: &out, escaping: escaping)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, member) in sorted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &out, escaping: escaping)
                out.append(UInt8(ascii: ":"))
                member.value.write(to: &out, escaping: escaping)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Swift's shortest round-tripping form; always valid JSON for finite values (`1e-05`, `0.5`).
    static func text(of double: Double) -> String {
        guard double.isFinite else { return "null" }
        return "\(double)"
    }

    static func writeString(_ s: String, to out: inout [UInt8], escaping: JSONStringEscaping) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0..<0x20 where escaping == .json:
                switch byte {
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]])
                }
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
