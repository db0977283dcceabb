/// The SHA-256 of a file's bytes, as 64 lower-case hex digits: the name of a blob in the store.
public struct ContentHash: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// 64 lower-case hex digits.
    public let hex: String

    /// Accepts 64 hex digits (any case); nil otherwise.
    public init?(hex text: String) {
        guard text.utf8.count == 64 else { return nil }
        var lowerCase = true
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "F"): lowerCase = false
            default: return nil
            }
        }
        hex = lowerCase ? text : text.lowercased()
    }

    /// Builds the hex form of a 32-byte digest.
    public init<D: Sequence>(digest bytes: D) where D.Element == UInt8 {
        hex = Hex.encode(bytes)
    }

    public var description: String { hex }
    public static func < (a: ContentHash, b: ContentHash) -> Bool { a.hex < b.hex }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let hash = ContentHash(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a SHA-256 hex digest"))
        }
        self = hash
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
