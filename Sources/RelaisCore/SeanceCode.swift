/// The short codes of a séance: the hand-over code a substitute types at `/remplacant` and the
/// join code pupils type at `/`. Six characters from an alphabet without the look-alikes 0/O and
/// 1/I/L, shown as `K7M-4PX`, typed in any case, with or without the dash or spaces.
///
/// 31 symbols ^ 6 = 887,503,681 codes. A code space small enough to type is large enough only
/// with throttling: the portal answers 429 after a few wrong codes per address and window (README,
/// "Codes et limitation").
public enum SeanceCode {
    public static let alphabet: [Character] = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    public static let length = 6
    /// alphabet.count ^ length.
    public static let spaceSize: Int = (0..<length).reduce(1) { acc, _ in acc * alphabet.count }

    /// A code from random (or derived) bytes: each byte picks a symbol by rejection sampling so
    /// that every symbol is equally likely; nil when the bytes ran out before six symbols.
    public static func make(from bytes: some Sequence<UInt8>) -> String? {
        let limit = UInt8(256 - 256 % alphabet.count)  // 248: bytes at or above it are skipped
        var symbols: [Character] = []
        for byte in bytes where byte < limit {
            symbols.append(alphabet[Int(byte) % alphabet.count])
            if symbols.count == length { return String(symbols) }
        }
        return nil
    }

    /// The code as typed: uppercased, without separators; nil when it cannot be a code (wrong
    /// length, a character outside the alphabet).
    public static func normalized(_ typed: String) -> String? {
        let kept = typed.uppercased().filter { $0 != "-" && $0 != "–" && !$0.isWhitespace }
        guard kept.count == length, kept.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return String(kept)
    }

    /// `K7M4PX` → `K7M-4PX`, as pages and printed sheets show it.
    public static func display(_ code: String) -> String {
        guard code.count == length else { return code }
        let middle = code.index(code.startIndex, offsetBy: length / 2)
        return String(code[..<middle]) + "-" + String(code[middle...])
    }
}
