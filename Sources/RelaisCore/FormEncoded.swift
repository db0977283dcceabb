/// Fields encoded as HTML forms encode them (`application/x-www-form-urlencoded`): `+` is a
/// space, `%XX` a byte, names decoded like values. The one decoder for query strings (the LRS)
/// and form bodies (the portal's forms).
///
/// xAPI clients build their queries with their platform's form encoder (Python's `urlencode`,
/// Java's `URLEncoder`, most xAPI libraries), which writes a space as `+`; an `agent` parameter
/// `{"objectType":+"Agent",…}` must read as the JSON it is. Hummingbird's `queryParameters`
/// only percent-decodes values (RFC 3986). Hand-written: Foundation's `URLComponents` does not
/// turn `+` into a space either.
public struct FormEncoded: Sendable, Equatable {
    /// Every `name=value` pair, decoded, in the order sent.
    public let pairs: [(name: String, value: String)]

    /// Parses `query` (a query string without its `?`, or a form body; nil or empty for none). A `%` not followed by two
    /// hexadecimal digits, or bytes that are not UTF-8, are refused naming the parameter.
    public init(_ query: String?) throws(FormEncodingError) {
        var pairs: [(name: String, value: String)] = []
        for field in (query ?? "").utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = field.firstIndex(of: UInt8(ascii: "="))
            let rawName = field[..<(equals ?? field.endIndex)]
            let rawValue = equals.map { field[field.index(after: $0)...] } ?? field[field.endIndex...]
            guard let name = Self.decode(rawName) else {
                throw FormEncodingError(field: nil)
            }
            guard let value = Self.decode(rawValue) else {
                throw FormEncodingError(field: name)
            }
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    /// The first value of `name`, nil when absent.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The names sent, in order (a name sent twice appears twice).
    public var names: [String] { pairs.map(\.name) }

    public static func == (lhs: FormEncoded, rhs: FormEncoded) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    /// `+` to space, `%XX` to its byte, then UTF-8; nil when malformed.
    static func decode(_ raw: Substring.UTF8View.SubSequence) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let byte = raw[i]
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%") {
                let high = raw.index(after: i)
                guard high < raw.endIndex else { return nil }
                let low = raw.index(after: high)
                guard low < raw.endIndex, let h = hexValue(raw[high]), let l = hexValue(raw[low]) else { return nil }
                bytes.append(h << 4 | l)
                i = low
            } else {
                bytes.append(byte)
            }
            i = raw.index(after: i)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A field that is not valid form encoding: a `%` without two hexadecimal digits, or bytes that
/// are not UTF-8. `field` is its name (nil when the name itself is malformed).
public struct FormEncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String?

    public init(field: String?) { self.field = field }

    public var description: String {
        let what = field.map { "the \($0) parameter" } ?? "a query parameter name"
        return "\(what) is not valid form encoding (%XX with two hex digits, UTF-8)"
    }
}
