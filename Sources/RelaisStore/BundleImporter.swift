import Foundation
import Logging
import RelaisArchive
import RelaisCore

/// Where an imported bundle came from.
public enum BundleOrigin: String, Sendable, Codable {
    /// Imported by the school itself with `relais import --local`; not signed by the hub.
    case local
    /// Verified from the signed national repository (network or USB).
    case repository
}

/// The signed repository target a bundle archive was verified as (TUF), recorded with the
/// bundle so an unchanged target is never fetched twice.
public struct RepositoryTarget: Sendable, Equatable {
    /// `bundles/{id}/{version}.relais`
    public let path: String
    public let sha256: String
    public let bundleID: String
    public let version: String
    public let licenceRequired: Bool

    public init(path: String, sha256: String, bundleID: String, version: String, licenceRequired: Bool) {
        self.path = path
        self.sha256 = sha256
        self.bundleID = bundleID
        self.version = version
        self.licenceRequired = licenceRequired
    }
}

/// What an import did.
public struct ImportReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// A new version now serves; `replacing` is the one that served before, if any.
        case installed(replacing: String?)
        /// The same version with the same content was already there (now active).
        case unchanged
    }
    public let manifest: BundleManifest
    public let outcome: Outcome
    public let fileCount: Int
    public let contentBytes: Int64
    /// Bytes this import added to the store; the rest was already there (deduplicated).
    public let newBytes: Int64
}

/// Imports a bundle archive into the content-addressed store, streaming it through libarchive and
/// verifying every file's SHA-256 before the commit, and activates the version in one transaction: until that commit the
/// previous version keeps serving, and a failed or killed import leaves nothing behind.
public struct BundleImporter {
    let directory: DataDirectory
    let database: RelaisDatabase
    let blobs: BlobStore
    let logger: Logger
    /// How many versions of a bundle stay on disk (the active one and the one it replaced), so a
    /// pupil mid-activity keeps the files of the version they started.
    public var keptVersions = 2

    public init(directory: DataDirectory, database: RelaisDatabase, logger: Logger) {
        self.directory = directory
        self.database = database
        self.blobs = BlobStore(directory)
        self.logger = logger
    }

    /// Imports the bundle at `path`; holds the store lock for the whole import. `target` says
    /// which signed repository target the archive is (nil for a school's own bundle).
    public func importBundle(
        at path: String, origin: BundleOrigin, target: RepositoryTarget? = nil, limits: ArchiveLimits = .standard, now: Date = Date()
    ) throws -> ImportReport {
        let lock = try StoreLock(directory)
        defer { withExtendedLifetime(lock) {} }
        try StoreRecovery(directory: directory, database: database, logger: logger).run()
        // The disk guard: new content never takes the disk past 95 % (room kept for statements).
        // The disk is read once here (refused when already at the line); `read` then counts each
        // file the store lacks, at the size the archive declares: a compressed archive expands.
        var budget = try DiskGuard(directory).budget()
        try budget.spend(0, what: "the import of \((path as NSString).lastPathComponent)")

        let staging = try ImportStaging(directory, blobs: blobs)
        defer { staging.finish(referenced: { (try? database.isReferenced($0)) ?? true }) }

        let content = try read(path, into: staging, limits: limits, budget: &budget)
        if let target, target.bundleID != content.manifest.id || target.version != content.manifest.version {
            throw ImportError.targetMismatch(
                target: target.path, found: "\(content.manifest.id) \(content.manifest.version)")
        }
        let files = content.files.mapValues(\.hash)
        let contentBytes = content.files.values.reduce(Int64(0)) { $0 + $1.size }
        let newBytes = staging.staged.values.reduce(Int64(0)) { $0 + $1.size }

        try staging.moveIntoStore()
        let activation = try database.activate(
            manifest: content.manifest, files: files,
            sizes: content.sizes, origin: origin, target: target, keptVersions: keptVersions, now: now)
        staging.markCommitted()
        for hash in activation.garbage { blobs.remove(hash) }

        logger.info("bundle imported", metadata: [
            "bundle.id": "\(content.manifest.id)", "bundle.version": "\(content.manifest.version)",
            "bundle.files": "\(files.count)", "import.newBytes": "\(newBytes)",
        ])
        return ImportReport(
            manifest: content.manifest, outcome: activation.outcome, fileCount: files.count,
            contentBytes: contentBytes, newBytes: activation.outcome == .unchanged ? 0 : newBytes)
    }

    /// Everything an archive holds once verified.
    struct VerifiedContent {
        var manifest: BundleManifest
        var files: [BundlePath: (hash: ContentHash, size: Int64)]
        var sizes: [ContentHash: Int64]
    }

    /// Streams the archive into staging: bundle.json and SHA256SUMS come first (`BundleHeader`),
    /// so every file has an expected hash before its bytes arrive; unlisted files stop the import.
    func read(_ path: String, into staging: ImportStaging, limits: ArchiveLimits, budget: inout DiskBudget) throws -> VerifiedContent {
        let reader = try ArchiveReader(path: path, limits: limits)
        let header = try BundleHeader.read(from: reader, path: path)
        var files: [BundlePath: (hash: ContentHash, size: Int64)] = [:]
        var links: [BundlePath: BundlePath] = [:]
        while let entry = try reader.nextEntry() {
            switch entry.kind {
            case .directory:
                continue
            case .link(let target):
                links[entry.path] = target
            case .file:
                guard let expected = header.digests.entries[entry.path] else { throw ImportError.unlisted(entry.path.value) }
                if !blobs.contains(expected) {
                    try budget.spend(entry.size ?? 0, what: "the import of \((path as NSString).lastPathComponent) (\(entry.path.value))")
                }
                files[entry.path] = (expected, try staging.ingest(reader, entry: entry, expected: expected))
                try staging.throwIfAnyFailed()
            }
        }
        try staging.verifyAll()
        try resolve(links, into: &files)
        for path in header.digests.entries.keys.sorted() where files[path] == nil {
            throw ImportError.missingFile(path.value)
        }
        guard let entry = try? BundlePath(header.manifest.entry), files[entry] != nil else {
            throw ImportError.missingEntry(header.manifest.entry)
        }
        var sizes: [ContentHash: Int64] = [:]
        for file in files.values { sizes[file.hash] = file.size }
        return VerifiedContent(manifest: header.manifest, files: files, sizes: sizes)
    }

    /// Links inside the bundle serve the bytes of their target (followed through chains of links).
    func resolve(_ links: [BundlePath: BundlePath], into files: inout [BundlePath: (hash: ContentHash, size: Int64)]) throws {
        for (link, target) in links.sorted(by: { $0.key < $1.key }) {
            var current = target
            var hops = 0
            while files[current] == nil, let next = links[current], hops < 40 {
                current = next
                hops += 1
            }
            guard let file = files[current] else { throw ImportError.brokenLink(link.value, target: target.value) }
            files[link] = file
        }
    }
}
