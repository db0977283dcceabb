/// Why TUF metadata was refused.
public enum TUFError: Error, Equatable, CustomStringConvertible {
    case json(JSONSyntaxErrorText)
    case malformed(String)
    case belowThreshold(role: String, valid: Int, threshold: Int)
    /// Two entries of `signatures` carry the same keyid: the file is invalid (TUF 1.0 §4.2).
    case duplicateSignature(keyID: String)
    case unexpectedVersion(role: String, expected: Int64, got: Int64)
    case expired(role: String, expires: Int64)
    /// A role's new version is older than the one the box already trusts.
    case rollback(role: String, trusted: Int64, got: Int64)
    /// `listedBy` (timestamp or snapshot) lists `file` at an older version than the trusted copy did.
    case metaRollback(file: String, listedBy: String, trusted: Int64, got: Int64)
    /// A new snapshot no longer lists a targets file the trusted one listed.
    case metaRemoved(file: String, listedBy: String)
    /// `listedBy` does not list `file` at all.
    case missingMeta(file: String, listedBy: String)
    /// Mix-and-match: a role's version is not the one its parent lists.
    case versionMismatch(role: String, got: Int64, listed: Int64, listedBy: String)
    case lengthMismatch(file: String, expected: Int64, got: Int64)
    case hashMismatch(file: String, algorithm: String)
    /// A target whose hashes are all of algorithms the box cannot compute.
    case unsupportedHashes(file: String, algorithms: [String])
    /// A target no trusted targets role lists (top-level or delegated).
    case unknownTarget(String)
    /// The metadata folder could not be read or written.
    case storage(path: String, reason: String)
    /// The metadata folder holds no root.json: the client was never given a root to trust.
    case notInitialized(directory: String)

    /// The JSON error's text (kept as text so this enum stays simple to compare).
    public typealias JSONSyntaxErrorText = String

    public var description: String {
        switch self {
        case .json(let why): return "metadata is not valid TUF JSON: \(why)"
        case .malformed(let why): return "metadata is malformed: \(why)"
        case .belowThreshold(let role, let valid, let threshold):
            return "\(role) metadata has \(valid) valid signature(s) from distinct keys, \(threshold) needed; the repository may be tampered with: do not use it"
        case .duplicateSignature(let keyID):
            return "metadata lists two signatures by key \(keyID.prefix(12))…, which TUF forbids; the file is damaged or tampered with: do not use it, and tell the hub"
        case .unexpectedVersion(let role, let expected, let got):
            return "\(role) metadata has version \(got) where \(expected) was expected (rollback or skipped version); keep the current data and tell the hub"
        case .expired(let role, let expires):
            return "\(role) metadata expired at Unix time \(expires); fetch a fresh copy of the repository (network sync or a newer USB stick)"
        case .rollback(let role, let trusted, let got):
            return "\(role) metadata version \(got) is older than version \(trusted) already trusted (rollback attack?); keep the current data and tell the hub"
        case .metaRollback(let file, let listedBy, let trusted, let got):
            return "\(listedBy) metadata lists \(file) version \(got), older than version \(trusted) already trusted (rollback attack?); keep the current data and tell the hub"
        case .metaRemoved(let file, let listedBy):
            return "new \(listedBy) metadata no longer lists \(file) (rollback attack?); keep the current data and tell the hub"
        case .missingMeta(let file, let listedBy):
            return "\(listedBy) metadata does not list \(file); the repository is incomplete: tell the hub"
        case .versionMismatch(let role, let got, let listed, let listedBy):
            return "\(role) metadata is version \(got) but \(listedBy) lists version \(listed) (mix-and-match attack or a repository caught mid-publish); try again later, then tell the hub"
        case .lengthMismatch(let file, let expected, let got):
            return "\(file) is \(got) bytes where the signed metadata says \(expected); the file is damaged or tampered with: try again, then tell the hub"
        case .hashMismatch(let file, let algorithm):
            return "\(file) does not match its signed \(algorithm) hash; the file is damaged or tampered with: try again, then tell the hub"
        case .unsupportedHashes(let file, let algorithms):
            return "\(file) lists only hash algorithms this box cannot check (\(algorithms.joined(separator: ", "))); ask the hub to add sha256"
        case .unknownTarget(let name):
            return "\(name) is not listed by the repository's trusted targets metadata; refresh first, and check the name"
        case .storage(let path, let reason):
            return "cannot use \(path) (\(reason)); check the disk and the folder's permissions"
        case .notInitialized(let directory):
            return "\(directory) holds no trusted root.json; give the box the hub's root first (relais init --trust ROOT.json, or relais tuf --metadata-dir DIR init ROOT.json)"
        }
    }
}
