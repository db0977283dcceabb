import Foundation
import RelaisArchive
import RelaisCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The private folder (`DIR/tmp/import-…`) where one import writes new blobs before they are
/// verified; nothing in it is visible to `relais serve` until `BundleImporter` commits.
final class ImportStaging {
    /// Name of the file that lists the blobs being moved into the store, for crash recovery.
    static let journalName = "journal"
    static let prefix = "import-"

    let path: String
    private let blobs: BlobStore
    private var counter = 0
    /// New blobs written here, by hash, with their staged file.
    private(set) var staged: [ContentHash: (path: String, size: Int64)] = [:]
    private var committed = false

    init(_ directory: DataDirectory, blobs: BlobStore) throws(StoreError) {
        self.blobs = blobs
        let tmp = directory.tmpPath
        if mkdir(tmp, 0o700) != 0, errno != EEXIST { throw .io("cannot create", path: tmp, errno: errno) }
        path = tmp + "/" + ImportStaging.prefix + UUID().uuidString
        guard mkdir(path, 0o700) == 0 else { throw .io("cannot create", path: path, errno: errno) }
    }

    /// Streams the reader's current entry, hashing it; writes it here only when the store does not
    /// already hold it. Throws `hashMismatch` when the bytes disagree with `expected`.
    func ingest(_ reader: ArchiveReader, path entryPath: BundlePath, expected: ContentHash) throws -> (ContentHash, Int64) {
        var hasher = ContentHasher()
        if blobs.contains(expected) || staged[expected] != nil {
            // Already stored (another bundle, another version): verify the bytes, write nothing.
            try reader.readData { hasher.update($0) }
            let actual = hasher.finalize()
            guard actual == expected else { throw ImportError.hashMismatch(entryPath.value, expected: expected, actual: actual) }
            return (actual, hasher.byteCount)
        }
        counter += 1
        let file = path + "/" + String(counter)
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io("cannot create", path: file, errno: errno) }
        do {
            defer { close(fd) }
            try reader.readData { buffer in
                hasher.update(buffer)
                try ImportStaging.writeAll(fd, buffer, path: file)
            }
        } catch {
            unlink(file)
            throw error
        }
        let actual = hasher.finalize()
        let size = hasher.byteCount
        if actual != expected {
            unlink(file)
            throw ImportError.hashMismatch(entryPath.value, expected: expected, actual: actual)
        }
        if staged[actual] != nil || blobs.contains(actual) {
            unlink(file)
        } else {
            staged[actual] = (file, size)
        }
        return (actual, size)
    }

    /// Lists the staged hashes in the journal (synced), then moves every staged blob into the store.
    func moveIntoStore() throws {
        let journal = staged.keys.map(\.hex).joined(separator: "\n")
        let journalPath = path + "/" + ImportStaging.journalName
        let fd = open(journalPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.io("cannot create", path: journalPath, errno: errno) }
        defer { close(fd) }
        try Array(journal.utf8).withUnsafeBytes { try ImportStaging.writeAll(fd, $0, path: journalPath) }
        fsync(fd)
        for (hash, file) in staged {
            try blobs.adopt(stagedFile: file.path, as: hash)
        }
        blobs.syncFileSystem()
    }

    /// The import is in the database: the staging folder can go without undoing anything.
    func markCommitted() { committed = true }

    /// Removes the folder; before a commit, also the blobs this import moved into the store.
    func finish(referenced: (ContentHash) -> Bool) {
        if !committed {
            for hash in staged.keys where !referenced(hash) { blobs.remove(hash) }
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.io("cannot write", path: path, errno: errno)
            }
            offset += n
        }
    }
}
