#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A target being downloaded: the partial file on disk, which survives a crash or a restart, and
/// the digests of everything in it, so a resumed download is verified over the whole file.
final class PartialFile: TargetSink {
    let path: String
    private let name: String
    private let hashes: [String: String]
    private var descriptor: Int32
    private var digests: Digests
    /// Bytes in the file now.
    private(set) var size: Int64 = 0
    /// Bytes that were already there when it was opened (what a download resumes from).
    private(set) var resumedFrom: Int64 = 0

    /// Opens or creates `path`. A prefix no longer than `length` is kept and hashed; a longer file
    /// cannot be this target and is emptied.
    init(path: String, name: String, length: Int64, hashes: [String: String]) throws(TUFError) {
        self.path = path
        self.name = name
        self.hashes = hashes
        digests = try Digests(checking: hashes, file: name)
        descriptor = open(path, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw PartialFile.failure(path) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure() }
        if Int64(info.st_size) > length {
            guard ftruncate(descriptor, 0) == 0 else { throw failure() }
        } else {
            try hashPrefix(Int64(info.st_size))
        }
        resumedFrom = size
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    func restart() throws {
        guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else { throw failure() }
        digests = try Digests(checking: hashes, file: name)
        size = 0
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var written = 0
        while written < bytes.count {
            let count = systemWrite(descriptor, base + written, bytes.count - written)
            if count < 0 {
                if errno == EINTR { continue }
                throw failure()
            }
            written += count
        }
        digests.update(bytes)
        size += Int64(bytes.count)
    }

    /// Checks length and every supported hash of the whole file against the signed target.
    func verify(length: Int64) throws(TUFError) {
        guard size == length else { throw .lengthMismatch(file: name, expected: length, got: size) }
        try digests.check(against: hashes, file: name)
    }

    /// Makes the verified file durable and gives it its final name (atomic rename).
    func commit(to destination: String) throws(TUFError) {
        guard fsync(descriptor) == 0 else { throw failure() }
        close(descriptor)
        descriptor = -1
        guard rename(path, destination) == 0 else { throw PartialFile.failure(destination) }
        let folder = destination.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(folder.isEmpty ? (destination.hasPrefix("/") ? "/" : ".") : folder, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Closes and deletes the partial file (its bytes cannot be the target's).
    func discard() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(path)
    }

    private func hashPrefix(_ length: Int64) throws(TUFError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { buffer.deallocate() }
        while size < length {
            let count = pread(descriptor, buffer.baseAddress, min(buffer.count, Int(length - size)), off_t(size))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure() }
            digests.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            size += Int64(count)
        }
        guard lseek(descriptor, off_t(size), SEEK_SET) == off_t(size) else { throw failure() }
    }

    private func failure() -> TUFError { PartialFile.failure(path) }

    private static func failure(_ path: String) -> TUFError {
        .storage(path: path, reason: String(cString: strerror(errno)))
    }
}

/// `write(2)`, named apart from `PartialFile.write(_:)`, which shadows it inside the class.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
