/// Why a sync or a repository import stopped, said so that the admin knows what to do.
public enum SyncError: Error, Equatable, CustomStringConvertible {
    case notARepository(String)
    case noSource
    case noTrustedRoot(String)
    case licenceRefused(String)
    case bundlesFailed([String: String])

    public var description: String {
        switch self {
        case .notARepository(let path):
            return "\(path) is not a Relais repository (no metadata/ folder); give the folder that holds metadata/ and targets/ (the root of the USB stick's copy)"
        case .noSource:
            return "no repository configured; set one with `relais config --data DIR set repository.url URL` (an http:// address or a folder)"
        case .noTrustedRoot(let dir):
            return "this box trusts no repository yet (no \(dir)/root.json); create the box with `relais init --trust ROOT.json` using the root.json the hub published"
        case .licenceRefused(let why):
            return "the licence document of this school was refused: \(why); tell the hub, the current licences stay in force"
        case .bundlesFailed(let failures):
            let list = failures.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: "; ")
            return "\(failures.count) bundle(s) could not be synced: \(list); the others are up to date, run the sync again"
        }
    }
}
