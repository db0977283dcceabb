import RelaisArchive
import RelaisCore

/// Why a bundle's content was refused (a malformed header is a `PackError`); the previous
/// version keeps serving.
public enum ImportError: Error, Equatable, CustomStringConvertible {
    case hashMismatch(String, expected: ContentHash, actual: ContentHash)
    case unlisted(String)
    case missingFile(String)
    case missingEntry(String)
    case brokenLink(String, target: String)
    case versionConflict(id: String, version: String)
    case unreadableStagedFile(String, String)
    case targetMismatch(target: String, found: String)

    public var description: String {
        switch self {
        case .hashMismatch(let path, let expected, let actual):
            return "entry « \(path) » is corrupt: SHA-256 \(actual.hex.prefix(12))… instead of \(expected.hex.prefix(12))…; fetch the bundle again"
        case .unlisted(let path):
            return "entry « \(path) » is not listed in SHA256SUMS; re-pack the bundle with `relais bundle pack`"
        case .missingFile(let path):
            return "SHA256SUMS lists « \(path) » but the archive does not hold it; the bundle is incomplete, fetch it again"
        case .missingEntry(let entry):
            return "bundle.json: field `entry` names « \(entry) », which is not in the bundle; fix `entry` and re-pack"
        case .brokenLink(let path, let target):
            return "entry « \(path) » links to « \(target) », which is not a file of the bundle"
        case .unreadableStagedFile(let path, let why):
            return "entry « \(path) » could not be read back from staging (\(why)); check the data folder's disk"
        case .targetMismatch(let target, let found):
            return "the signed target \(target) holds the bundle \(found) instead; the hub published a wrong file: tell the hub, the current version keeps serving"
        case .versionConflict(let id, let version):
            return "\(id) \(version) is already installed with other content; give the new content a new version in bundle.json and re-pack"
        }
    }
}
