#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder holding the metadata the client trusts, under the non-versioned names the TUF
/// conformance suite reads (`root.json`, `timestamp.json`, `snapshot.json`, `targets.json`), each
/// exactly as received. Writes are atomic (temporary file, fsync, rename, fsync of the folder) so a
/// power cut leaves either the old or the new trusted file, never half of one.
struct MetadataDirectory {
    let path: String

    /// Creates the folder (and its parents) readable by the owner only if it does not exist.
    static func create(_ path: String) throws(TUFError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/\(component)"
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST { throw .storage(path: prefix, reason: String(cString: strerror(errno))) }
        }
    }

    /// The file's bytes, or nil when it does not exist.
    func contents(of name: String) throws(TUFError) -> [UInt8]? {
        let file = "\(path)/\(name)"
        let fd = open(file, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .storage(path: file, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .storage(path: file, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    /// Replaces `name` with `bytes` atomically. The temporary name does not end in `.json`, so a
    /// reader listing trusted files never sees it.
    func replace(_ name: String, with bytes: [UInt8]) throws(TUFError) {
        let target = "\(path)/\(name)"
        var template = Array("\(path)/.\(name).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .storage(path: target, reason: String(cString: strerror(errno))) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = fchmod(fd, 0o600) == 0
        var written = 0
        while ok && written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0 && errno == EINTR { continue }
            ok = count > 0
            written += max(count, 0)
        }
        ok = ok && fsync(fd) == 0
        let reason = String(cString: strerror(errno))
        close(fd)
        guard ok, rename(temporary, target) == 0 else {
            unlink(temporary)
            throw .storage(path: target, reason: reason)
        }
        syncFolder()
    }

    /// Deletes `name` if it exists.
    func remove(_ name: String) throws(TUFError) {
        let file = "\(path)/\(name)"
        guard unlink(file) == 0 || errno == ENOENT else { throw .storage(path: file, reason: String(cString: strerror(errno))) }
        syncFolder()
    }

    /// Makes a rename or unlink durable (best effort: some file systems refuse fsync on folders).
    private func syncFolder() {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

