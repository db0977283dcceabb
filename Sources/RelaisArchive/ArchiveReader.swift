import CArchive
import RelaisCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a tar, tar.gz/.tgz, or zip archive (format and filter detected by content), refusing unsafe entries before their bytes are read.
///
/// Every entry is checked in `nextEntry()` (name, type, mode, link target, duplicates, entry count,
/// declared size); every block is counted in `readData` (total bytes, compression ratio), so a bomb
/// stops after a few megabytes. After a refusal the reader only repeats it. Not thread-safe: one
/// reader belongs to one task at a time.
public final class ArchiveReader {
    /// libarchive reads the file in blocks this large: far fewer read calls than tar's 10 KiB default.
    static let blockSize = 1 << 20

    let archive: OpaquePointer
    let limits: ArchiveLimits
    var ledger = EntryLedger()
    var entryCount = 0
    var declaredBytes: Int64 = 0
    /// Uncompressed bytes read so far, all entries together (drained ones included).
    var readBytes: Int64 = 0
    var current: ArchiveEntry?
    /// The last entry accepted, to place an error that has no entry name of its own.
    var lastPath: BundlePath?
    /// Whether the current entry still has bytes libarchive has not handed out.
    var currentHasData = false
    /// Position inside the current entry, to fill the holes of sparse files with zeros.
    var currentOffset: Int64 = 0
    var failure: ArchiveError?
    var atEnd = false

    /// Opens the archive; throws `.cannotOpen` when the file is missing or not a tar, tar.gz or zip.
    public init(path: String, limits: ArchiveLimits = .standard) throws(ArchiveError) {
        guard let archive = archive_read_new() else { throw .cannotOpen(path: path, reason: "out of memory") }
        archive_read_support_filter_gzip(archive)
        archive_read_support_format_tar(archive)
        archive_read_support_format_zip(archive)
        guard archive_read_open_filename(archive, path, Self.blockSize) == ARCHIVE_OK else {
            let reason = LibArchive.errorString(archive)
            let systemError = archive_errno(archive)
            archive_read_free(archive)
            // Opening reads the first block: a gzip stream cut short fails here, and is corrupt
            // rather than unopenable.
            if reason.contains("Unrecognized archive format") || [ENOENT, EACCES, EISDIR, ENOTDIR, ELOOP].contains(systemError) {
                throw .cannotOpen(path: path, reason: reason)
            }
            throw .corrupt(entry: nil, reason: reason)
        }
        self.archive = archive
        self.limits = limits
    }

    deinit { archive_read_free(archive) }

    /// Compressed bytes consumed so far (archive_filter_bytes(-1)), for progress and ratio.
    public var compressedBytesRead: Int64 { archive_filter_bytes(archive, -1) }

    /// Uncompressed bytes handed out (or skipped) so far, all entries together.
    public var uncompressedBytesRead: Int64 { readBytes }

    /// The next entry, already checked; nil at the end of the archive.
    public func nextEntry() throws(ArchiveError) -> ArchiveEntry? {
        if let failure { throw failure }
        if atEnd { return nil }
        do {
            return try advance()
        } catch {
            failure = error
            throw error
        }
    }

    private func advance() throws(ArchiveError) -> ArchiveEntry? {
        if currentHasData, let entry = current {
            // Skipping costs as much inflating as reading: count it against the limits too.
            do { try pump(entry) { _ in } } catch let error as ArchiveError { throw error } catch {
                throw .corrupt(entry: entry.path.value, reason: "\(error)")
            }
        }
        current = nil
        while true {
            var header: OpaquePointer?
            let status = LibArchive.withUTF8Locale { archive_read_next_header(archive, &header) }
            if status == ARCHIVE_EOF {
                atEnd = true
                return nil
            }
            guard status >= ARCHIVE_WARN, let header else {
                // The entry could not be read: name the last good one so the damage can be located.
                let place = lastPath.map { ", after entry « \($0.value) »" } ?? ""
                throw .corrupt(entry: nil, reason: LibArchive.errorString(archive) + place)
            }
            // The bundle root itself ("./", as `tar -C dir .` writes it) is not handed out.
            // Names and link targets may be converted lazily, through the thread's locale.
            guard let entry = try LibArchive.withUTF8Locale({ () throws(ArchiveError) in try check(header) }) else { continue }
            current = entry
            currentHasData = true
            currentOffset = 0
            return entry
        }
    }

    /// Streams the current entry's bytes block by block without copying, enforcing limits (total bytes, compression ratio).
    public func readData(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let failure { throw failure }
        guard let entry = current else { throw ArchiveError.noCurrentEntry }
        guard currentHasData else { return }
        try pump(entry, body)
    }

    /// Reads the current entry whole, refusing one larger than maxBytes (for bundle.json, SHA256SUMS, imsmanifest.xml...).
    public func readAll(maxBytes: Int) throws -> [UInt8] {
        guard let entry = current else { throw ArchiveError.noCurrentEntry }
        if let size = entry.size, size > Int64(maxBytes) {
            throw ArchiveError.entryTooLarge(entry: entry.path.value, maxBytes: maxBytes)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(entry.size ?? 0))
        try readData { block in
            guard bytes.count + block.count <= maxBytes else {
                throw ArchiveError.entryTooLarge(entry: entry.path.value, maxBytes: maxBytes)
            }
            bytes.append(contentsOf: block)
        }
        return bytes
    }

    /// Hands out the rest of the current entry; reader errors are remembered, the body's are not
    /// (a caller whose disk is full may still want the reader's own verdict on the archive).
    private func pump(_ entry: ArchiveEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var block: UnsafeRawPointer?
        var size = 0
        var offset: Int64 = 0
        while true {
            let status = archive_read_data_block(archive, &block, &size, &offset)
            if status == ARCHIVE_EOF {
                currentHasData = false
                return
            }
            // A warning here is a bad CRC (zip): as fatal as a truncated file.
            guard status == ARCHIVE_OK else {
                throw remember(.corrupt(entry: entry.path.value, reason: LibArchive.errorString(archive)))
            }
            if offset > currentOffset {
                // A hole of a sparse file: its bytes are zeros.
                try zeros(count: offset - currentOffset, entry: entry, body)
            }
            try count(size, entry: entry)
            currentOffset = offset + Int64(size)
            if size > 0, let block { try body(UnsafeRawBufferPointer(start: block, count: size)) }
        }
    }

    private func zeros(count total: Int64, entry: ArchiveEntry, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let zeros = [UInt8](repeating: 0, count: 64 << 10)
        var left = total
        while left > 0 {
            let chunk = Int(min(left, Int64(zeros.count)))
            try count(chunk, entry: entry)
            try zeros.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<chunk])) }
            left -= Int64(chunk)
        }
    }

    /// Counts bytes handed out against the total and ratio limits.
    private func count(_ bytes: Int, entry: ArchiveEntry) throws(ArchiveError) {
        readBytes += Int64(bytes)
        if readBytes > limits.maxTotalBytes {
            throw remember(.tooLarge(entry: entry.path.value, limit: limits.maxTotalBytes))
        }
        if readBytes > limits.ratioGrace {
            let compressed = max(compressedBytesRead, 1)
            let ratio = readBytes / compressed
            if ratio > limits.maxRatio {
                throw remember(.ratioExceeded(entry: entry.path.value, ratio: ratio, limit: limits.maxRatio))
            }
        }
    }

    func remember(_ error: ArchiveError) -> ArchiveError {
        failure = error
        return error
    }
}
