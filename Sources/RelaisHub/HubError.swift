/// Why a `relais repo` command was refused or failed; every message says what to do.
public enum HubError: Error, Equatable, CustomStringConvertible {
    /// `init` on a folder that already holds a repository.
    case repositoryExists(String)
    /// A command other than `init` on a folder that holds no repository.
    case notARepository(String)
    /// KEYS is REPO or inside it, where it would be published.
    case keysInsideRepository(keys: String, repo: String)
    /// KEYS (or a key file) can be read by others.
    case keysNotPrivate(String)
    /// Fewer usable private keys for a role than its threshold.
    case missingKeys(role: String, found: Int, needed: Int, keys: String)
    /// A key file that is not what `relais repo init` writes.
    case badKeyFile(path: String, reason: String)
    /// A thresholds/key counts request that cannot be met.
    case badPolicy(String)
    /// A file given to `add` that is neither a bundle nor a licence document.
    case unknownFileType(String)
    /// A folder given to `add` that holds no `.relais` or `.json` file.
    case emptyFolder(String)
    /// A bundle refused, with the reason.
    case invalidBundle(path: String, reason: String)
    /// A licence document refused, with the reason.
    case invalidLicence(path: String, reason: String)
    /// `remove` of a path the draft does not hold.
    case unknownTarget(String)
    /// The working state or published metadata is damaged.
    case corruptState(String)
    /// Another `relais repo` command holds the repository's lock.
    case busy(String)
    /// `verify`: the repository does not pass the TUF client's checks.
    case verificationFailed(String)
    /// A file system operation failed.
    case io(what: String, path: String, reason: String)

    public var description: String {
        switch self {
        case .repositoryExists(let repo):
            return "\(repo) already holds a repository; choose an empty folder, or use `relais repo add/publish` on this one"
        case .notARepository(let repo):
            return "\(repo) is not a repository made by `relais repo init` (no metadata/root.json or .relais-hub/); check the path or run `relais repo init` first"
        case .keysInsideRepository(let keys, let repo):
            return "the keys folder \(keys) is inside the repository \(repo), which is published as is; keep KEYS outside REPO (e.g. ~/relais-keys)"
        case .keysNotPrivate(let path):
            return "\(path) can be read by other users; run `chmod 700` on the keys folder and `chmod 600` on its key files"
        case .missingKeys(let role, let found, let needed, let keys):
            return "\(keys) holds \(found) usable \(role) key(s), \(needed) needed to sign; give the --keys folder made by `relais repo init` (or after `relais repo rotate`)"
        case .badKeyFile(let path, let reason):
            return "key file \(path) is unusable (\(reason)); restore it from the backup of the keys folder"
        case .badPolicy(let why):
            return "\(why)"
        case .unknownFileType(let path):
            return "\(path) is neither a bundle (.relais, from `relais bundle pack`) nor a licence document (.json)"
        case .emptyFolder(let path):
            return "\(path) holds no bundle (.relais) and no licence document (.json); give the folder that holds them, or the files themselves"
        case .invalidBundle(let path, let reason):
            return "bundle \(path) refused: \(reason); fix the package and pack it again with `relais bundle pack`"
        case .invalidLicence(let path, let reason):
            return "licence \(path) refused: \(reason)"
        case .unknownTarget(let path):
            return "the repository has no target \(path); targets look like bundles/ID/VERSION.relais or licences/UAI.json (see metadata/N.targets.json)"
        case .corruptState(let why):
            return "the repository is damaged: \(why); restore it from a backup"
        case .busy(let repo):
            return "another `relais repo` command is working on \(repo); wait for it to finish and try again"
        case .verificationFailed(let why):
            return "the repository does not verify: \(why); do not ship it — fix it (relais repo publish, or restore metadata/) and verify again"
        case .io(let what, let path, let reason):
            return "cannot \(what) \(path): \(reason); check the path, its permissions and free disk space"
        }
    }
}
