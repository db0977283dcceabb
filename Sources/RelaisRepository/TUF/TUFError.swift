/// Why TUF metadata was refused.
public enum TUFError: Error, Equatable, CustomStringConvertible {
    case json(CanonicalJSONErrorText)
    case malformed(String)
    case belowThreshold(role: String, valid: Int, threshold: Int)
    case unexpectedVersion(role: String, expected: Int64, got: Int64)
    case expired(role: String, expires: Int64)

    /// The JSON error's text (kept as text so this enum stays simple to compare).
    public typealias CanonicalJSONErrorText = String

    public var description: String {
        switch self {
        case .json(let why): return "metadata is not valid TUF JSON: \(why)"
        case .malformed(let why): return "metadata is malformed: \(why)"
        case .belowThreshold(let role, let valid, let threshold):
            return "\(role) metadata has \(valid) valid signature(s) from distinct keys, \(threshold) needed; the repository may be tampered with: do not use it"
        case .unexpectedVersion(let role, let expected, let got):
            return "\(role) metadata has version \(got) where \(expected) was expected (rollback or skipped version); keep the current data and tell the hub"
        case .expired(let role, let expires):
            return "\(role) metadata expired at Unix time \(expires); fetch a fresh copy of the repository (network sync or a newer USB stick)"
        }
    }
}
