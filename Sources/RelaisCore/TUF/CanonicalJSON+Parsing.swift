extension CanonicalJSON {
    /// Parses JSON strictly: one value, no duplicate keys, integers only (no fraction, no
    /// exponent), no trailing data; throws saying where and what.
    public init(parsing bytes: [UInt8]) throws(CanonicalJSONError) {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        self = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw .unexpected(parser.index, "data after the JSON value") }
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        static let maximumDepth = 64

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) throws(CanonicalJSONError) -> CanonicalJSON {
            guard depth < Parser.maximumDepth else { throw .unexpected(index, "nesting deeper than \(Parser.maximumDepth)") }
            guard index < bytes.count else { throw .unexpected(index, "end of data") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try integer())
            default: throw .unexpected(index, "a character that starts no JSON value")
            }
        }

        mutating func object(depth: Int) throws(CanonicalJSONError) -> CanonicalJSON {
            index += 1
            var members: [String: CanonicalJSON] = [:]
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw .unexpected(index, "an object key") }
                let key = try string()
                guard members[key] == nil else { throw .duplicateKey(key) }
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                members[key] = try value(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw .unexpected(index, "end of data in an object") }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                }
                try expect(UInt8(ascii: ","))
            }
        }

        mutating func array(depth: Int) throws(CanonicalJSONError) -> CanonicalJSON {
            index += 1
            var elements: [CanonicalJSON] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw .unexpected(index, "end of data in an array") }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(elements)
                }
                try expect(UInt8(ascii: ","))
            }
        }

        mutating func integer() throws(CanonicalJSONError) -> Int64 {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            let digits = index - digitsStart
            guard digits > 0 else { throw .unexpected(start, "a number without digits") }
            if digits > 1, bytes[digitsStart] == UInt8(ascii: "0") { throw .unexpected(start, "a number with a leading zero") }
            if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
                throw .notAnInteger(start)
            }
            guard let value = Int64(String(decoding: bytes[start..<index], as: UTF8.self)) else { throw .notAnInteger(start) }
            return value
        }

        mutating func string() throws(CanonicalJSONError) -> String {
            let start = index
            index += 1
            var scalars = String.UnicodeScalarView()
            var run = index
            func flush(_ end: Int) throws(CanonicalJSONError) {
                guard let text = String(validating: bytes[run..<end], as: UTF8.self) else { throw .unexpected(run, "bytes that are not UTF-8") }
                scalars.append(contentsOf: text.unicodeScalars)
            }
            while true {
                guard index < bytes.count else { throw .unexpected(start, "a string that never ends") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    try flush(index)
                    index += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw .unexpected(index, "a control character in a string") }
                if byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                try flush(index)
                index += 1
                guard index < bytes.count else { throw .unexpected(index, "end of data in an escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
                default: throw .unexpected(index - 1, "an unknown escape")
                }
                run = index
            }
        }

        /// `\uXXXX`, combining a surrogate pair into one scalar; a lone surrogate is refused.
        mutating func unicodeEscape() throws(CanonicalJSONError) -> Unicode.Scalar {
            let high = try hex4()
            if (0xD800...0xDBFF).contains(high) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw .unexpected(index, "a lone surrogate")
                }
                index += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw .unexpected(index, "a lone surrogate") }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(high) else { throw .unexpected(index, "a lone surrogate") }
            return scalar
        }

        mutating func hex4() throws(CanonicalJSONError) -> UInt32 {
            guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { throw .unexpected(index, "four hex digits after \\u") }
            index += 4
            return value
        }

        mutating func literal(_ word: String) throws(CanonicalJSONError) {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw .unexpected(index, "a misspelt literal (\(word)?)")
            }
            index += expected.count
        }

        mutating func expect(_ byte: UInt8) throws(CanonicalJSONError) {
            guard index < bytes.count, bytes[index] == byte else {
                throw .unexpected(index, "« \(Character(Unicode.Scalar(byte))) » expected")
            }
            index += 1
        }
    }
}

/// Why metadata was refused as JSON.
public enum CanonicalJSONError: Error, Equatable, CustomStringConvertible {
    case unexpected(Int, String)
    case duplicateKey(String)
    case notAnInteger(Int)

    public var description: String {
        switch self {
        case .unexpected(let offset, let what): return "invalid JSON at byte \(offset): \(what)"
        case .duplicateKey(let key): return "invalid JSON: key « \(key) » appears twice in one object"
        case .notAnInteger(let offset): return "invalid JSON at byte \(offset): only integers are allowed in TUF metadata"
        }
    }
}
