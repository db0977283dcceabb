/// The identifier of a French établissement: seven digits and a check letter (0750654D).
public struct UAI: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The canonical upper-case form, e.g. "0750654D".
    public let value: String

    static let checkLetters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")

    /// Parses and checks a UAI; lower-case letters are accepted and upper-cased.
    public init(_ text: String) throws(UAIError) {
        let upper = text.uppercased()
        let chars = Array(upper)
        guard chars.count == 8, chars.prefix(7).allSatisfy({ $0.isASCII && $0.isNumber }),
            let last = chars.last, last.isASCII, last.isLetter
        else { throw .malformed(text) }
        let expected = UAI.checkLetter(forDigits: String(chars.prefix(7)))
        guard last == expected else { throw .wrongCheckLetter(text, expected: expected) }
        value = upper
    }

    /// The check letter of seven digits: `"ABCDEFGHJKLMNPRSTUVWXYZ"[n % 23]`.
    public static func checkLetter(forDigits digits: String) -> Character {
        checkLetters[(Int(digits) ?? 0) % 23]
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try UAI(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// Why a UAI was refused.
public enum UAIError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case wrongCheckLetter(String, expected: Character)

    public var description: String {
        switch self {
        case .malformed(let text):
            return "« \(text) » n'est pas un UAI : il faut 7 chiffres et une lettre de contrôle (ex. 0750654D) / not a UAI: 7 digits and a check letter"
        case .wrongCheckLetter(let text, let expected):
            let fixed = String(text.prefix(7)) + String(expected)
            return "UAI \(text) : la lettre de contrôle devrait être \(expected) (\(fixed)) / wrong check letter, expected \(expected); check the UAI with your académie"
        }
    }
}
