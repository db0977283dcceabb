#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TUFUpdater {
    /// Downloads target `name` to `destination` (after a successful `refresh`; found through the
    /// delegations when top-level targets does not list it). Resumes from
    /// `partial` when that file exists and is shorter than the target (it survives a crash or a
    /// restart), bounds the transfer by the target's signed length, verifies the length and every
    /// supported hash (sha256, sha384, sha512) over the whole file, then renames `partial` to
    /// `destination` (fsync, atomic). On a length or hash mismatch the partial file is deleted; if
    /// the download had resumed, it is tried once more from byte 0 (the prefix may have come from an
    /// older version of the target) before throwing.
    public func download(_ name: String, to destination: String, partial: String) async throws {
        guard let target = try await findTarget(name) else { throw TUFError.unknownTarget(name) }
        let remote = remotePath(of: name, target)
        while true {
            let file = try PartialFile(path: partial, name: name, length: target.length, hashes: target.hashes)
            if file.size < target.length {
                do {
                    try await transport.target(remote, from: file.size, maxLength: target.length, into: file)
                } catch .tooLarge(let path, let limit) {
                    file.discard()
                    throw TransportError.tooLarge(path, limit: limit)
                }
            }
            do {
                try file.verify(length: target.length)
            } catch {
                file.discard()
                if file.resumedFrom > 0 { continue }
                throw error
            }
            try file.commit(to: destination)
            return
        }
    }

    /// Whether `path` already holds target `name` (length and hashes checked), so it need not be
    /// downloaded again.
    public func hasVerifiedCopy(of name: String, at path: String) -> Bool {
        guard let target = targetInfo(name), let size = fileSize(path), size == target.length,
            let file = try? PartialFile(path: path, name: name, length: target.length, hashes: target.hashes)
        else { return false }
        return (try? file.verify(length: target.length)) != nil
    }

    /// The target's path on the repository: with consistent snapshots `dir/HASH.basename`, HASH being
    /// the first of its hashes in key order (python-tuf takes the first in the file, and python-tuf
    /// and securesystemslib write keys sorted).
    func remotePath(of name: String, _ target: TargetsMetadata.Target) -> String {
        guard trustedRoot.root.consistentSnapshot, let hash = target.hashes.min(by: { $0.key < $1.key })?.value else { return name }
        guard let slash = name.lastIndex(of: "/") else { return "\(hash).\(name)" }
        return "\(name[...slash])\(hash).\(name[name.index(after: slash)...])"
    }

    private func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }
}
