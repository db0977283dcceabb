import Foundation
import GRDB
import RelaisCore

/// A bundle as the catalogue shows it: its active version and its licence state.
public struct CatalogEntry: Sendable {
    public let manifest: BundleManifest
    public let origin: BundleOrigin
    public let contentBytes: Int64
    public let fileCount: Int
    public let importedAt: Int64
    /// The school's own bundles (`import --local`) need no licence; repository bundles are
    /// checked against the licence document of the signed repository, at the box's trusted time.
    public let licence: LicenceState
    /// Who sees it (GAR `publicCible` of its abonnements; everyone for free and local bundles).
    public let audiences: Set<PublicCible>
    /// The name to show in licence messages (the abonnement's libellé, else the title).
    public let resourceName: String

    /// Whether the school may open it now.
    public var licensed: Bool { licence.allowsLaunch }

    /// The refusal to show when it cannot be opened, French then English.
    public var refusal: (french: String, english: String)? { licence.refusal(resource: resourceName) }
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
    /// The active version of every listed bundle with its licence state at `now` (Unix seconds,
    /// the box's trusted time), sorted by French title.
    public func catalog(at now: Int64) throws -> [CatalogEntry] {
        try entries(at: now, bundleID: nil).sorted { $0.manifest.title.fr.localizedCompare($1.manifest.title.fr) == .orderedAscending }
    }

    /// One listed bundle's catalogue entry (what a launch needs: one row, one manifest).
    public func catalogEntry(id: String, at now: Int64) throws -> CatalogEntry? {
        try entries(at: now, bundleID: id).first
    }

    /// Catalogue entries of every listed bundle, or of `bundleID` alone.
    private func entries(at now: Int64, bundleID: String?) throws -> [CatalogEntry] {
        let licence = try licenceDocument()
        return try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT v.manifest, b.origin, v.contentBytes, v.fileCount, v.importedAt, b.licenceRequired
                FROM bundle b JOIN bundleVersion v ON v.bundleId = b.id AND v.version = b.activeVersion
                WHERE b.unlistedAt IS NULL AND (? IS NULL OR b.id = ?)
                """, arguments: [bundleID, bundleID])
            return try rows.map { row in
                let manifest = try BundleManifest.parse(row[0])
                let origin = BundleOrigin(rawValue: row[1]) ?? .local
                let required = origin == .repository && (row[5] as Bool)
                let state = Box.licenceState(of: manifest.id, licenceRequired: required, licence: licence, at: now)
                let audiences = required
                    ? Set(licence?.abonnements(for: manifest.id).flatMap(\.publicCible) ?? [])
                    : Set(PublicCible.allCases)
                return CatalogEntry(
                    manifest: manifest, origin: origin, contentBytes: row[2], fileCount: row[3], importedAt: row[4],
                    licence: state, audiences: audiences,
                    resourceName: licence?.resourceName(of: manifest.id) ?? manifest.title.fr)
            }
        }
    }

    /// The catalogue at the box's trusted time.
    public func catalog() throws -> [CatalogEntry] { try catalog(at: trustedNow()) }

    /// The licence document in force, nil when the repository publishes none for this UAI (or
    /// the stored one no longer parses, which the sync that stored it would have refused).
    public func licenceDocument() throws -> LicenceDocument? {
        guard let stored = try storedLicence() else { return nil }
        return try? LicenceDocument(json: stored.document, expectedUAI: UAI(identity().uai))
    }

    /// The bundles that may not be opened at `now` (their files must not be served). The content
    /// origin asks every second, so this reads ids and flags only, no manifest.
    public func unlaunchableBundles(at now: Int64) throws -> Set<String> {
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id FROM bundle WHERE unlistedAt IS NULL AND origin = ? AND licenceRequired",
                             arguments: [BundleOrigin.repository.rawValue])
        }
        guard !rows.isEmpty else { return [] }
        let licence = try licenceDocument()
        return Set(rows.map { $0[0] as String }.filter {
            !Box.licenceState(of: $0, licenceRequired: true, licence: licence, at: now).allowsLaunch
        })
    }

    /// A listed bundle's licence state: local bundles and free ones need none; the others need an
    /// abonnement of the licence document (none without a document).
    static func licenceState(of bundleID: String, licenceRequired: Bool, licence: LicenceDocument?, at now: Int64) -> LicenceState {
        guard licenceRequired else { return .notRequired }
        return licence?.state(of: bundleID, licenceRequired: true, at: now) ?? .none
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

    /// What the content origin serves changes with the catalogue signature and with licence
    /// states, which also change with time alone (an abonnement ends at midnight).
    public func servingSignature(at now: Int64) throws -> String {
        try catalogSignature() + "|" + unlaunchableBundles(at: now).sorted().joined(separator: ",")
    }

    /// Where a blob lives on disk.
    public func blobPath(_ hash: ContentHash) -> String { BlobStore(directory).path(for: hash) }
}
