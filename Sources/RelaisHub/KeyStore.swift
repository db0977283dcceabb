import Foundation
import RelaisRepository

/// The KEYS folder: one file per private key (mode 0600) in a folder only the owner can open
/// (0700), never inside REPO, which is published as is. Keys a rotation replaced move to
/// `KEYS/retired/`, kept for the record but never used to sign again.
struct KeyStore {
    let path: String

    /// Refuses a KEYS folder that is REPO or inside it (symbolic links and `..` resolved).
    init(path: String, repo: String) throws(HubError) {
        let keys = HubFiles.resolved(path)
        let repository = HubFiles.resolved(repo)
        if keys == repository || keys.hasPrefix(repository.hasSuffix("/") ? repository : repository + "/") {
            throw .keysInsideRepository(keys: path, repo: repo)
        }
        self.path = path
    }

    /// Creates the folder (0700) if needed; an existing one must already be private.
    func prepare() throws(HubError) {
        if HubFiles.exists(path) {
            try checkPrivate()
        } else {
            try HubFiles.makeFolder(path, mode: 0o700)
        }
    }

    /// Refuses a folder others can read or enter.
    func checkPrivate() throws(HubError) {
        guard let mode = HubFiles.mode(path) else { throw .io(what: "open the keys folder", path: path, reason: "it does not exist") }
        guard mode & 0o077 == 0 else { throw .keysNotPrivate(path) }
    }

    /// Writes a new key file readable by the owner only.
    func save(_ key: SigningKey) throws(HubError) {
        let file = (path as NSString).appendingPathComponent("\(key.roleName)-\(key.keyID.prefix(16)).json")
        try HubFiles.save(key.fileBytes, to: file, mode: 0o600)
    }

    /// The private keys that may sign `role` under `root`; throws when fewer than its threshold.
    func signers(_ role: HubRole, under root: RootMetadata) throws(HubError) -> [SigningKey] {
        guard let entry = root.roles[role.rawValue] else { throw .corruptState("root defines no \(role.rawValue) role") }
        let allowed = Set(entry.keyIDs)
        let found = try all().filter { $0.key.role == role && allowed.contains($0.key.keyID) }.map(\.key)
        guard found.count >= entry.threshold else {
            throw .missingKeys(role: role.rawValue, found: found.count, needed: entry.threshold, keys: path)
        }
        return found
    }

    /// The private keys of the licence bins among `keyIDs`; throws when fewer than `threshold`.
    func binsSigners(keyIDs: [String], threshold: Int) throws(HubError) -> [SigningKey] {
        let allowed = Set(keyIDs)
        let found = try all().filter { $0.key.roleName == SigningKey.binsRole && allowed.contains($0.key.keyID) }.map(\.key)
        guard found.count >= threshold else {
            throw .missingKeys(role: SigningKey.binsRole, found: found.count, needed: threshold, keys: path)
        }
        return found
    }

    /// Moves the files of `keyIDs` to `KEYS/retired/`.
    func retire(_ keyIDs: Set<String>) throws(HubError) {
        let retired = (path as NSString).appendingPathComponent("retired")
        try HubFiles.makeFolder(retired, mode: 0o700)
        for (file, key) in try all() where keyIDs.contains(key.keyID) {
            try HubFiles.move(file, to: (retired as NSString).appendingPathComponent((file as NSString).lastPathComponent))
        }
    }

    /// Every key file at the top of the folder, checked private.
    private func all() throws(HubError) -> [(file: String, key: SigningKey)] {
        try checkPrivate()
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw .io(what: "list the keys folder", path: path, reason: error.localizedDescription)
        }
        var keys: [(String, SigningKey)] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let file = (path as NSString).appendingPathComponent(name)
            guard let mode = HubFiles.mode(file), mode & 0o077 == 0 else { throw .keysNotPrivate(file) }
            keys.append((file, try SigningKey(file: try HubFiles.read(file), path: file)))
        }
        return keys
    }
}
