import CSystemShims
import Crypto
import Foundation
import RelaisCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file operations the hub needs, each atomic where a reader could see a half-written
/// file: a static HTTP server may serve REPO while a publish runs.
///
/// Durability: one file is made durable by `save`/`move` themselves (fsync of the file and of its
/// folder). Writing thousands of files (10,000 licence documents, 256 licence bins), a command
/// passes `durable: false` and calls `flush(fileSystemOf:)` once before the write that makes them
/// reachable (the draft, timestamp.json): one syncfs instead of three fsyncs a file, which on a
/// disk took minutes for 10,000 licences.
enum HubFiles {
    /// Writes `bytes` to a temporary file beside `path`, flushes it (unless `durable` is false)
    /// and renames it over `path`; `mode` is set at creation, so a key is never readable by others
    /// even for a moment.
    static func save(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, durable: Bool = true) throws(HubError) {
        let temp = temporaryPath(beside: path)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw failure("create", temp) }
        var ok = fchmod(fd, mode) == 0
        var offset = 0
        while ok, offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { ok = false } else { offset += written }
        }
        if ok, durable { ok = fsync(fd) == 0 }
        let error = failure("write", path)
        close(fd)
        guard ok else {
            unlink(temp)
            throw error
        }
        try move(temp, to: path, durable: durable)
    }

    /// Renames `from` to `to` (same file system) and flushes the folder so the rename survives a
    /// crash (unless `durable` is false: then `flush(fileSystemOf:)` must follow).
    static func move(_ from: String, to: String, durable: Bool = true) throws(HubError) {
        guard rename(from, to) == 0 else {
            let error = failure("rename into place", to)
            unlink(from)
            throw error
        }
        guard durable else { return }
        let folder = open((to as NSString).deletingLastPathComponent, O_RDONLY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Flushes every write made so far to the file system holding `path` (syncfs(2), fsync of
    /// `path` where there is none): what `durable: false` writes left to the page cache.
    static func flush(fileSystemOf path: String) throws(HubError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw failure("open", path) }
        defer { close(fd) }
        guard relais_syncfs(fd) == 0 else { throw failure("flush to disk", path) }
    }

    /// Copies `source` to a new temporary file in `folder`, hashing as it goes.
    static func copyHashing(_ source: String, into folder: String) throws(HubError) -> (path: String, length: Int64, sha256: String) {
        guard let input = FileHandle(forReadingAtPath: source) else { throw failure("read", source) }
        defer { try? input.close() }
        let temp = temporaryPath(beside: folder + "/copy")
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw failure("create", temp) }
        var hasher = SHA256()
        var length: Int64 = 0
        var ok = true
        while ok {
            let chunk: Data
            do { chunk = try input.read(upToCount: 1 << 20) ?? Data() } catch {
                ok = false
                break
            }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            length += Int64(chunk.count)
            ok = chunk.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return false }
                var offset = 0
                while offset < buffer.count {
                    let written = write(fd, base + offset, buffer.count - offset)
                    if written <= 0 { return false }
                    offset += written
                }
                return true
            }
        }
        if ok { ok = fsync(fd) == 0 }
        let error = failure("copy", source)
        close(fd)
        guard ok else {
            unlink(temp)
            throw error
        }
        return (temp, length, ContentHash(digest: hasher.finalize()).hex)
    }

    /// The whole file, or a thrown error naming it.
    static func read(_ path: String) throws(HubError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw failure("read", path) }
        return Array(data)
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Creates `path` and its parents with `mode` (for the new folders).
    static func makeFolder(_ path: String, mode: Int = 0o755) throws(HubError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch { throw .io(what: "create the folder", path: path, reason: "\(error.localizedDescription)") }
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The permission bits of `path`, or nil when it does not exist.
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// `path` made absolute, `.`/`..` resolved, and symbolic links resolved in the part that
    /// exists, so "is KEYS inside REPO" cannot be fooled by a link or a relative path.
    static func resolved(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var existing = absolute
        var rest: [String] = []
        while !exists(existing), existing != "/" {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        let real = realpath(existing, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? existing
        return rest.reduce(real) { ($0 as NSString).appendingPathComponent($1) }
    }

    private static func temporaryPath(beside path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return (folder as NSString).appendingPathComponent(".tmp-\(UUID().uuidString)")
    }

    private static func failure(_ what: String, _ path: String) -> HubError {
        .io(what: what, path: path, reason: String(cString: strerror(errno)))
    }
}
