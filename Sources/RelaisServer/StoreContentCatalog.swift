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

    /// Replaces the snapshot with the files of the bundles the school may open now: an
    /// unlicensed or expired bundle's files are not served, whatever URL a device asks for.
    public func reload(from box: Box) throws {
        let refused = try box.unlaunchableBundles(at: box.trustedNow())
        var index: [VersionKey: [BundlePath: ContentFile]] = [:]
        for file in try box.storedFiles() where !refused.contains(file.bundleID) {
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
