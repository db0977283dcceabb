import RelaisCore
/// Statement ids the LRS assigns (xAPI-Data 2.4.1: a UUID, "SHOULD" be variant 2 version 4).
public enum StatementID {
    /// A random version 4 UUID, lowercase.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = Hex.encode(bytes)
        let at = { (offset: Int) in hex.index(hex.startIndex, offsetBy: offset) }
        return "\(hex[..<at(8)])-\(hex[at(8)..<at(12)])-\(hex[at(12)..<at(16)])-\(hex[at(16)..<at(20)])-\(hex[at(20)...])"
    }
}
