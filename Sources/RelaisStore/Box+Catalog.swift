import Foundation
import GRDB
import RelaisCore

/// A bundle as the catalogue shows it: its active version.
public struct CatalogEntry: Sendable {
    public let manifest: BundleManifest
    public let origin: BundleOrigin
    public let contentBytes: Int64
    public let fileCount: Int
    public let importedAt: Int64

    /// Whether the school may open it. The school's own bundles (`import --local`) always are;
    /// repository bundles will be checked against the licence documents of the signed repository.
    public var licensed: Bool { origin == .local }
}

/// One file of one stored version, as the content origin serves it.
public struct StoredFile: Sendable {
    public let bundleID: String
    public let version: String
    public let path: BundlePath
    public let hash: ContentHash
    public let size: Int64
    public let importedAt: Int64
}

extension Box {
    /// The active version of every bundle, sorted by French title.
    public func catalog() throws -> [CatalogEntry] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT v.manifest, b.origin, v.contentBytes, v.fileCount, v.importedAt
                FROM bundle b JOIN bundleVersion v ON v.bundleId = b.id AND v.version = b.activeVersion
                WHERE b.unlistedAt IS NULL
                """)
            return try rows.map { row in
                CatalogEntry(
                    manifest: try BundleManifest.parse(row[0]), origin: BundleOrigin(rawValue: row[1]) ?? .local,
                    contentBytes: row[2], fileCount: row[3], importedAt: row[4])
            }.sorted { $0.manifest.title.fr.localizedCompare($1.manifest.title.fr) == .orderedAscending }
        }
    }

    /// Every file of every stored version (active and kept), for the content origin's index.
    public func storedFiles() throws -> [StoredFile] {
        try database.read { db in
            var files: [StoredFile] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT f.bundleId, f.version, f.path, f.blob, b.size, v.importedAt
                FROM bundleFile f JOIN blob b ON b.hash = f.blob
                JOIN bundleVersion v ON v.bundleId = f.bundleId AND v.version = f.version
                JOIN bundle u ON u.id = f.bundleId AND u.unlistedAt IS NULL
                """)
            while let row = try rows.next() {
                guard let path = try? BundlePath(row[2] as String), let hash = ContentHash(hex: row[3]) else { continue }
                files.append(StoredFile(bundleID: row[0], version: row[1], path: path, hash: hash, size: row[4], importedAt: row[5]))
            }
            return files
        }
    }

    /// Changes whenever a version is added, removed, activated or unlisted, or the licence
    /// document changes: the content origin reloads its index when this differs from the one it
    /// loaded (cheap enough to poll every second).
    public func catalogSignature() throws -> String {
        try database.read { db in
            try String.fetchOne(db, sql: """
                SELECT COUNT(*) || ':' || IFNULL(group_concat(v.bundleId || '@' || v.version || '@' || v.importedAt
                    || '@' || IFNULL(b.unlistedAt, '')), '') || ':' || IFNULL((SELECT sha256 FROM licence), '')
                FROM bundleVersion v JOIN bundle b ON b.id = v.bundleId
                """) ?? ""
        }
    }

    /// Where a blob lives on disk.
    public func blobPath(_ hash: ContentHash) -> String { BlobStore(directory).path(for: hash) }
}
