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
    private let verifier = StagedFileVerifier()

    init(_ directory: DataDirectory, blobs: BlobStore) throws(StoreError) {
        self.blobs = blobs
        let tmp = directory.tmpPath
        if mkdir(tmp, 0o700) != 0, errno != EEXIST { throw .io("cannot create", path: tmp, errno: errno) }
        path = tmp + "/" + ImportStaging.prefix + UUID().uuidString
        guard mkdir(path, 0o700) == 0 else { throw .io("cannot create", path: path, errno: errno) }
    }

    /// Streams the reader's current entry into staging, unless the store already holds its
    /// expected hash (then it is only hashed here). Written files are verified on a second core
    /// by `verifier` — call `verifyAll()` before committing.
    func ingest(_ reader: ArchiveReader, entry: ArchiveEntry, expected: ContentHash) throws -> Int64 {
        var hasher = ContentHasher()
        if blobs.contains(expected) || staged[expected] != nil {
            // Already stored (another bundle, another version): verify the bytes, write nothing.
            try reader.readData { hasher.update($0) }
            try check(hasher.finalize(), expected, entry.path)
            return hasher.byteCount
        }
        counter += 1
        let file = path + "/" + String(counter)
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io("cannot create", path: file, errno: errno) }
        var size: Int64 = 0
        do {
            defer { close(fd) }
            try reader.readData { buffer in
                try ImportStaging.writeAll(fd, buffer, path: file)
                size += Int64(buffer.count)
            }
        } catch {
            unlink(file)
            throw error
        }
        // Hashed from the staged copy on the verifier's core while the archive streams on.
        verifier.verify(stagedFile: file, entry: entry.path.value, expected: expected)
        staged[expected] = (file, size)
        return size
    }

    /// Throws early when a background check already failed (no need to read the rest).
    func throwIfAnyFailed() throws {
        if verifier.hasFailed { try verifier.finish() }
    }

    /// Waits for the background checks; throws the first mismatch.
    func verifyAll() throws { try verifier.finish() }

    private func check(_ actual: ContentHash, _ expected: ContentHash, _ entry: BundlePath) throws {
        guard actual == expected else { throw ImportError.hashMismatch(entry.value, expected: expected, actual: actual) }
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
        // Background checks may still read staged files: let them end before removing them.
        try? verifier.finish()
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
