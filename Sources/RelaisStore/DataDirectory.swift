import Foundation

/// The layout of a box's data folder (`relais init --data DIR`).
///
/// ```
/// DIR/relais.sqlite       the database (WAL): bundles, versions, files, config
/// DIR/secret.key          per-box secret (owner-only) that keys pseudonyms
/// DIR/store/blobs/ab/…    content-addressed files, named by SHA-256
/// DIR/tmp/                staging of imports; emptied by the next command after a crash
/// DIR/lock                held (flock) by whoever writes to the store
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

    /// Whether `relais init` has run here.
    public var isInitialized: Bool { FileManager.default.fileExists(atPath: databasePath) }

    /// Throws the "run relais init" error when the folder is not a data directory.
    public func requireInitialized() throws(StoreError) {
        guard isInitialized else { throw .notInitialized(root.path) }
    }
}
