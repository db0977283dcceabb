import Crypto
import Foundation
import RelaisCore

/// The box's one way to draw secrets and compare them: tokens of sessions, forms, credentials and
/// uploads, hashes of what is stored in their place, comparisons that take the same time wherever
/// the first difference is.
public enum Secrets {
    /// `count` random bytes (the system's generator: getrandom) as lowercase hex.
    public static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The SHA-256 of a text's UTF-8, as lowercase hex (what the database keeps instead of a token).
    public static func sha256Hex(_ text: String) -> String { Hex.encode(Array(SHA256.hash(data: Data(text.utf8)))) }

    /// Equality that takes the same time wherever the first difference is.
    public static func constantTimeEqual<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        constantTimeEqual(Array(a.utf8), Array(b.utf8))
    }
}
