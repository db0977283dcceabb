import Foundation
import GRDB
import RelaisCore

/// The one row of `box`: which établissement this box serves.
public struct BoxRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "box"
    public var id: Int = 1
    public var uai: String
    public var name: String
    public var createdAt: Int64
}

/// A file of the content-addressed store.
struct BlobRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "blob"
    var hash: String
    var size: Int64
}

/// A bundle known to the box, and which of its versions serves.
public struct BundleRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "bundle"
    public var id: String
    public var activeVersion: String
    /// `local` (imported by the school with `import --local`) or `repository` (signed, synced).
    public var origin: String
    public var updatedAt: Int64
    /// The signed target that serves (`bundles/{id}/{version}.relais`) and its SHA-256;
    /// nil for local bundles.
    public var targetPath: String?
    public var targetHash: String?
    /// Whether launching needs an active abonnement in the licence document.
    public var licenceRequired: Bool = false
    /// When the bundle left the repository (or lost its licence); it no longer serves.
    public var unlistedAt: Int64?
}

/// One imported version of a bundle.
public struct BundleVersionRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "bundleVersion"
    public var bundleId: String
    public var version: String
    /// bundle.json as imported.
    public var manifest: Data
    public var kind: String
    public var standard: String
    public var entry: String
    public var fileCount: Int
    public var contentBytes: Int64
    public var importedAt: Int64

    /// The decoded bundle.json (validated when it was imported).
    public func decodedManifest() throws -> BundleManifest {
        try BundleManifest.parse(manifest)
    }
}

/// One path of one bundle version, pointing at its blob.
struct BundleFileRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "bundleFile"
    var bundleId: String
    var version: String
    var path: String
    var blob: String
}
