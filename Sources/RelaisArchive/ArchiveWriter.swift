import CArchive

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a tar.gz (default), tar or zip to a temporary file beside `path`, renamed into place only by finish(): a failed write leaves no file behind.
///
/// Entries get a fixed modification time and owner 0, so the same input gives the same bytes.
/// Not thread-safe: one writer belongs to one task at a time.
public final class ArchiveWriter {
    /// The container written.
    public enum Format: Sendable { case tarGzip, tar, zip }

    /// Every modification time written: 2020-01-01T00:00:00Z (zip cannot store dates before 1980).
    public static let fixedModificationTime = 1_577_836_800

    let archive: OpaquePointer
    let entry: OpaquePointer
    let path: String
    let temporaryPath: String
    let format: Format
    private let descriptor: Int32
    private var closed = false
    var isClosed: Bool { closed }
    /// Set when an entry was left half-written: the archive can only be discarded.
    var broken: ArchiveError?

    /// Creates the temporary file beside `path` (same folder, so the final rename is atomic).
    public init(path: String, format: Format = .tarGzip) throws(ArchiveError) {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let name = path.split(separator: "/").last.map(String.init) ?? "archive"
        var template = Array(((folder.isEmpty && !path.hasPrefix("/") ? "" : folder + "/") + ".\(name).XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw .writeFailed(path: path, reason: DiskFile.systemError()) }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let archive = archive_write_new(), let entry = archive_entry_new() else {
            close(descriptor)
            unlink(temporaryPath)
            throw .writeFailed(path: path, reason: "out of memory")
        }
        (self.archive, self.entry, self.path, self.temporaryPath, self.format, self.descriptor) =
            (archive, entry, path, temporaryPath, format, descriptor)
        var status: Int32
        switch format {
        case .tarGzip:
            status = archive_write_set_format_pax_restricted(archive)
            if status == ARCHIVE_OK { status = archive_write_add_filter_gzip(archive) }
            // No timestamp in the gzip header: the same tree packs to the same bytes.
            if status == ARCHIVE_OK { status = archive_write_set_filter_option(archive, "gzip", "timestamp", nil) }
        case .tar:
            status = archive_write_set_format_pax_restricted(archive)
        case .zip:
            status = archive_write_set_format_zip(archive)
        }
        // No padding of the last block: the file ends where the archive does.
        if status == ARCHIVE_OK { status = archive_write_set_bytes_in_last_block(archive, 1) }
        if status == ARCHIVE_OK { status = archive_write_open_fd(archive, descriptor) }
        guard status == ARCHIVE_OK else {
            let reason = LibArchive.errorString(archive)
            discard()
            throw .writeFailed(path: path, reason: reason)
        }
    }

    deinit {
        discard()
        archive_entry_free(entry)
        archive_write_free(archive)
    }

    /// Adds a file whose bytes are in memory.
    public func addFile(_ path: String, contents: [UInt8], mode: Int32 = 0o644) throws {
        try addFile(path, size: Int64(contents.count), mode: mode) { write in
            try contents.withUnsafeBytes { try write($0) }
        }
    }

    /// Adds a file streamed from disk; refuses one whose size is not `size` (it changed meanwhile).
    public func addFile(_ path: String, size: Int64, mode: Int32 = 0o644, from fileURL: String) throws {
        try addFile(path, size: size, mode: mode) { write in try DiskFile.stream(fileURL, write) }
    }

    /// Adds a file whose bytes `produce` hands to `write`, block by block; refuses a total other than `size`.
    public func addFile(
        _ path: String, size: Int64, mode: Int32 = 0o644,
        writing produce: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        try header(Array(path.utf8), type: relais_AE_IFREG, mode: mode, size: size)
        var written: Int64 = 0
        do {
            try produce { block in
                written += Int64(block.count)
                guard written <= size else { return }
                try self.data(block)
            }
        } catch {
            broken = broken ?? .sourceUnreadable(path: path, reason: "\(error)")
            throw error
        }
        guard written == size else {
            let error = ArchiveError.sourceUnreadable(path: path, reason: "\(written) bytes instead of the \(size) announced")
            broken = broken ?? error
            throw error
        }
    }

    /// Adds a folder.
    public func addDirectory(_ path: String) throws {
        try header(Array(path.utf8), type: relais_AE_IFDIR, mode: 0o755, size: 0)
    }

    /// Adds a symbolic link; `target` is relative to the link's folder.
    public func addSymlink(_ path: String, target: String) throws {
        try header(Array(path.utf8), type: relais_AE_IFLNK, mode: 0o777, size: 0, symlink: target)
    }

    /// Closes the archive, flushes it to disk and renames it into place with permissions `mode`
    /// (0o600 for an archive holding a secret: it is never readable by others, not even briefly).
    public func finish(mode: mode_t = 0o644) throws {
        if let broken {
            discard()
            throw broken
        }
        guard !closed else { throw ArchiveError.writeFailed(path: path, reason: "the archive is already closed") }
        let status = archive_write_close(archive)
        guard status == ARCHIVE_OK else {
            let reason = LibArchive.errorString(archive)
            discard()
            throw ArchiveError.writeFailed(path: path, reason: reason)
        }
        closed = true
        fchmod(descriptor, mode)
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard synced, rename(temporaryPath, path) == 0 else {
            let reason = DiskFile.systemError()
            unlink(temporaryPath)
            throw ArchiveError.writeFailed(path: path, reason: reason)
        }
    }

    /// Abandons the archive and removes the temporary file (also called by deinit if finish() was not reached).
    public func discard() {
        guard !closed else { return }
        closed = true
        // Mark the archive failed so archive_write_free cannot flush into a closed (or reused) fd.
        archive_write_fail(archive)
        close(descriptor)
        unlink(temporaryPath)
    }
}
