import Foundation
import GRDB
import Logging
import RelaisCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One school's box: its data folder and database, opened once per command.
public final class Box: Sendable {
    public let directory: DataDirectory
    public let database: RelaisDatabase
    public let logger: Logger
    /// `stored` stamps (ms) of statement batches being written by this process: GET must not
    /// claim consistency past a batch stamped earlier that has not committed yet.
    let statementsInFlight = Mutex<[Int64]>([])
    /// The key séance codes and access tokens are hashed with (derived from the box secret; read once).
    let seanceKeyCache = Mutex<[UInt8]?>(nil)
    /// The one-time admin setup code made by `create` (only its SHA-256 is stored), for `relais
    /// init` to print; nil for a box that was opened.
    public let adminSetupCode: String?

    init(directory: DataDirectory, database: RelaisDatabase, logger: Logger, adminSetupCode: String? = nil) {
        self.directory = directory
        self.database = database
        self.logger = logger
        self.adminSetupCode = adminSetupCode
    }

    /// `relais init`: creates the data folder, its per-box secret (owner-only) and database, and
    /// a one-time admin setup code (`adminSetupCode`).
    public static func create(at directory: DataDirectory, uai: UAI, name: String, now: Date = Date(), logger: Logger) throws -> Box {
        guard !directory.isInitialized else { throw StoreError.alreadyInitialized(directory.root.path) }
        let fm = FileManager.default
        for path in [directory.root.path, directory.blobsPath, directory.tmpPath] {
            do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw StoreError.io("cannot create", path: path, errno: EACCES)
            }
        }
        try BlobStore(directory).createShards()
        try writeSecret(at: directory.secretPath)
        let database = try RelaisDatabase(path: directory.databasePath)
        let setupCode = OneTimeCode.generate()
        try database.write { db in
            try BoxRecord(uai: uai.value, name: name, createdAt: Int64(now.timeIntervalSince1970)).insert(db)
            try storeSetupCode(db, code: setupCode, now: Int64(now.timeIntervalSince1970))
        }
        return Box(directory: directory, database: database, logger: logger, adminSetupCode: setupCode)
    }

    /// Opens an initialised box, first cleaning up after an import that was killed.
    public static func open(_ directory: DataDirectory, logger: Logger) throws -> Box {
        let database = try RelaisDatabase(directory)
        try StoreRecovery.runIfIdle(directory: directory, database: database, logger: logger)
        return Box(directory: directory, database: database, logger: logger)
    }

    /// Which établissement this box serves.
    public func identity() throws -> BoxRecord {
        try database.read { db in
            guard let box = try BoxRecord.fetchOne(db, key: 1) else { throw StoreError.database("the box row is missing") }
            return box
        }
    }

    /// The importer for this box, with the archive limits from its settings.
    public func importer() -> BundleImporter {
        BundleImporter(directory: directory, database: database, logger: logger)
    }

    /// The archive limits in force (settings `import.*`).
    public func archiveLimits() throws -> ArchiveLimits {
        let values = try settings()
        return ArchiveLimits(settings: { values[$0] })
    }

    /// 32 random bytes, created with owner-only permissions before anything is written to them.
    private static func writeSecret(at path: String) throws {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.io("cannot create", path: path, errno: errno) }
        defer { close(fd) }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try bytes.withUnsafeBytes { try ImportStaging.writeAll(fd, $0, path: path) }
        fsync(fd)
    }
}
