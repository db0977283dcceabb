import CSystemShims
import Foundation
import RelaisCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Content-addressed files under `DIR/store/blobs/ab/abcdef…`: a file shared by two bundles or two
/// versions is stored once. Blobs are immutable once in place.
public struct BlobStore: Sendable {
    /// The `store/blobs` folder.
    public let root: String

    public init(_ directory: DataDirectory) {
        root = directory.blobsPath
    }

    /// Where the blob of `hash` lives (whether or not it is there yet).
    public func path(for hash: ContentHash) -> String {
        let hex = hash.hex
        return root + "/" + hex.prefix(2) + "/" + hex
    }

    /// Whether the blob is in the store.
    public func contains(_ hash: ContentHash) -> Bool {
        access(path(for: hash), F_OK) == 0
    }

    /// Moves a fully written, verified file into the store under its hash: a rename, so readers
    /// never see a partial blob (one that is already there has the same bytes, so replacing it is
    /// harmless). The shard folders are made once, by `createShards()`, not per blob.
    func adopt(stagedFile: String, as hash: ContentHash) throws(StoreError) {
        let target = path(for: hash)
        if rename(stagedFile, target) == 0 { return }
        guard errno == ENOENT else { throw .io("cannot move a blob to", path: target, errno: errno) }
        let shard = String(target[..<target.lastIndex(of: "/")!])
        if mkdir(shard, 0o755) != 0, errno != EEXIST { throw .io("cannot create", path: shard, errno: errno) }
        guard rename(stagedFile, target) == 0 else { throw .io("cannot move a blob to", path: target, errno: errno) }
    }

    /// Makes the 256 shard folders (00…ff) up front.
    func createShards() throws(StoreError) {
        let digits = Array("0123456789abcdef")
        for high in digits {
            for low in digits {
                let shard = root + "/" + String(high) + String(low)
                if mkdir(shard, 0o755) != 0, errno != EEXIST { throw .io("cannot create", path: shard, errno: errno) }
            }
        }
    }

    /// Deletes a blob (no error when it is already gone).
    func remove(_ hash: ContentHash) {
        unlink(path(for: hash))
    }

    /// Flushes the file system holding the store, so blobs are on disk before the database says so.
    func syncFileSystem() {
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        relais_syncfs(fd)
        close(fd)
    }

    /// Every hash present on disk (for `relais doctor`; walks the whole store).
    func allHashes() -> [ContentHash] {
        let fm = FileManager.default
        var hashes: [ContentHash] = []
        for shard in (try? fm.contentsOfDirectory(atPath: root)) ?? [] {
            for name in (try? fm.contentsOfDirectory(atPath: root + "/" + shard)) ?? [] {
                if let hash = ContentHash(hex: name) { hashes.append(hash) }
            }
        }
        return hashes
    }
}
