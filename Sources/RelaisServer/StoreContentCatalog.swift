import RelaisContent
import RelaisCore
import RelaisStore
import Synchronization

/// The content origin's view of the store: an in-memory snapshot of every stored file, swapped
/// whole when the store changes, so a lookup on the event loop never touches SQLite.
public final class StoreContentCatalog: ContentCatalog {
    struct VersionKey: Hashable {
        let bundleID: String
        let version: String
    }

    private let snapshot = Mutex<[VersionKey: [BundlePath: ContentFile]]>([:])

    public init() {}

    /// Replaces the snapshot with the box's current files.
    public func reload(from box: Box) throws {
        var index: [VersionKey: [BundlePath: ContentFile]] = [:]
        for file in try box.storedFiles() {
            index[VersionKey(bundleID: file.bundleID, version: file.version), default: [:]][file.path] = ContentFile(
                hash: file.hash, size: file.size, blobPath: box.blobPath(file.hash), lastModified: file.importedAt)
        }
        snapshot.withLock { $0 = index }
    }

    public func lookup(bundleID: String, version: String, path: BundlePath) -> ContentFile? {
        snapshot.withLock { $0[VersionKey(bundleID: bundleID, version: version)]?[path] }
    }

    /// How many versions the snapshot holds (for logs and tests).
    public var versionCount: Int { snapshot.withLock { $0.count } }
}
