import Foundation

/// The layout of a box's data folder (`relais init --data DIR`).
///
/// ```
/// DIR/relais.sqlite       the database (WAL): bundles, versions, files, config
/// DIR/secret.key          per-box secret (owner-only) that keys pseudonyms
/// DIR/store/blobs/ab/…    content-addressed files, named by SHA-256
/// DIR/tmp/                staging of imports; emptied by the next command after a crash
/// DIR/lock                held (flock) by whoever writes to the store
/// DIR/tuf/                the TUF metadata the box trusts (root.json, timestamp.json, …)
/// DIR/sync/partial/       bundle downloads in progress, resumed by the next sync
/// DIR/sync.lock           held (flock) by the one sync or repository import running
/// ```
public struct DataDirectory: Sendable {
    /// The folder itself, absolute.
    public let root: URL

    public init(_ path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var databasePath: String { root.appendingPathComponent("relais.sqlite").path }
    public var secretPath: String { root.appendingPathComponent("secret.key").path }
    public var blobsPath: String { root.appendingPathComponent("store/blobs").path }
    public var tmpPath: String { root.appendingPathComponent("tmp").path }
    public var lockPath: String { root.appendingPathComponent("lock").path }
    public var tufPath: String { root.appendingPathComponent("tuf").path }
    public var partialDownloadsPath: String { root.appendingPathComponent("sync/partial").path }
    public var syncLockPath: String { root.appendingPathComponent("sync.lock").path }

    /// Whether `relais init` has run here.
    public var isInitialized: Bool { FileManager.default.fileExists(atPath: databasePath) }

    /// Throws the "run relais init" error when the folder is not a data directory.
    public func requireInitialized() throws(StoreError) {
        guard isInitialized else { throw .notInitialized(root.path) }
    }
}
