/// Which numbers a document may hold.
public enum JSONNumbers: Sendable {
    /// Integers that fit in 64 bits, nothing else: TUF metadata (securesystemslib's canonical
    /// form has no floats) and licence documents (seat counts, dates as Unix seconds).
    case integersOnly
    /// Any finite RFC 8259 number; integers that fit in 64 bits stay `.integer` (xAPI).
    case integersAndFractions
}

/// Why bytes were refused as JSON, with the byte offset where it was seen.
public enum JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    case unexpected(Int, String)
    case duplicateKey(Int, String)
    /// A fraction, an exponent or an integer beyond 64 bits under `.integersOnly`, with where it is
    /// in the document (so a caller can name the field).
    case notAnInteger(Int, path: [JSONPathComponent])

    public var offset: Int {
        switch self {
        case .unexpected(let offset, _), .duplicateKey(let offset, _), .notAnInteger(let offset, _): return offset
        }
    }

    public var description: String {
        switch self {
        case .unexpected(let offset, let what): return "invalid JSON at byte \(offset): \(what)"
        case .duplicateKey(let offset, let key): return "invalid JSON at byte \(offset): key \"\(key)\" appears twice in one object"
        case .notAnInteger(let offset, let path):
            let place = path.isEmpty ? "" : " (\(JSONPathComponent.text(of: path)))"
            return "invalid JSON at byte \(offset)\(place): only whole numbers are allowed here"
        }
    }
}

extension JSONValue {
    /// Parses one JSON document (RFC 8259) strictly: duplicate keys, trailing commas, invalid
    /// UTF-8, lone surrogates, numbers out of range or outside `numbers`, nesting deeper than 64
    /// and anything after the value are refused, so that two readers of the same bytes can never
    /// see different documents (a signature or a statement means one thing).
    ///
    /// Hand-written: Foundation's JSONSerialization accepts duplicate keys and turns every number
    /// into NSNumber (integers and doubles are not told apart), and no package here parses strictly.
    public init(parsing bytes: some Collection<UInt8>, numbers: JSONNumbers) throws(JSONSyntaxError) {
        let parse = { (buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONSyntaxError> in
            var reader = JSONReader(buffer, numbers: numbers)
            do throws(JSONSyntaxError) {
                reader.skipWhitespace()
                let value = try reader.value(depth: 0)
                reader.skipWhitespace()
                guard reader.index == buffer.count else { throw reader.error("unexpected data after the JSON value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        let result = bytes.withContiguousStorageIfAvailable(parse) ?? Array(bytes).withUnsafeBufferPointer(parse)
        self = try result.get()
    }
}

/// A recursive-descent reader over the bytes; one pass, no intermediate copies for plain ASCII
/// strings (the common case of statements and metadata).
struct JSONReader {
    /// Deeper nesting than any document here needs is refused rather than risking the stack.
    static let maxDepth = 64

    let bytes: UnsafeBufferPointer<UInt8>
    let numbers: JSONNumbers
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, numbers: JSONNumbers) {
        self.bytes = bytes
        self.numbers = numbers
    }

    func error(_ what: String) -> JSONSyntaxError { .unexpected(index, what) }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
        guard index < bytes.count else { throw error("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end") }
        for i in 0..<count where bytes[index + i] != word.utf8Start[i] { throw error("unexpected character") }
        index += count
    }

    /// A member's or an element's value; a refused number learns where it sits on the way out.
    mutating func member(_ component: JSONPathComponent, depth: Int) throws(JSONSyntaxError) -> JSONValue {
        do {
            return try value(depth: depth + 1)
        } catch .notAnInteger(let offset, let path) {
            throw .notAnInteger(offset, path: [component] + path)
        }
    }

    mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let keyOffset = index
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try member(.key(key), depth: depth)
            guard members.updateValue(value, forKey: key) == nil else { throw .duplicateKey(keyOffset, key) }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            } else {
                throw error("expected ',' or '}'")
            }
        }
    }

    mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try member(.index(elements.count), depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            } else {
                throw error("expected ',' or ']'")
            }
        }
    }

    mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw error("unexpected end") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(at: index) { throw .unexpected(start, "a number with a leading zero") }
        } else {
            guard isDigit(at: index) else { throw error("invalid number") }
            while isDigit(at: index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard isDigit(at: index) else { throw error("invalid number") }
            while isDigit(at: index) { index += 1 }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(at: index) else { throw error("invalid number") }
            while isDigit(at: index) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard numbers == .integersAndFractions else { throw .notAnInteger(start, path: []) }
        guard let double = Double(text), double.isFinite else { throw .unexpected(start, "number out of range") }
        return .number(double)
    }

    func isDigit(at i: Int) -> Bool {
        i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
    }

    /// A string; the fast path copies an escape-free ASCII run in one go.
    mutating func string() throws(JSONSyntaxError) -> String {
        index += 1
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if ascii { return String(decoding: run, as: UTF8.self) }
                guard let text = String(validating: run, as: UTF8.self) else { throw .unexpected(start, "invalid UTF-8") }
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw error("control character in a string") }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        index = start
        return try escapedString()
    }

    /// The slow path: a string with escapes, decoded into UTF-8 bytes.
    mutating func escapedString() throws(JSONSyntaxError) -> String {
        let start = index
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else { throw .unexpected(start, "invalid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw error("unexpected end") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): out.append(contentsOf: try unicodeEscape())
                default: throw error("invalid escape")
                }
            case 0..<0x20: throw error("control character in a string")
            default: out.append(byte)
            }
        }
        throw .unexpected(start, "unterminated string")
    }

    /// `\uXXXX`, with a following `\uXXXX` when it is a high surrogate; a lone surrogate is refused.
    mutating func unicodeEscape() throws(JSONSyntaxError) -> [UInt8] {
        let first = try hex4()
        var scalarValue = first
        if (0xD800...0xDBFF).contains(first) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("lone surrogate")
            }
            index += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw error("lone surrogate") }
            scalarValue = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw error("lone surrogate") }
        return Array(String(Character(scalar)).utf8)
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("unexpected end") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
