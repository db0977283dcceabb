import Foundation
import GRDB
import Logging
import RelaisArchive
import RelaisCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The first member of a backup (`relais backup`): what it holds and the SHA-256 of each member.
///
/// ```json
/// {"format": "relais-backup", "formatVersion": 1, "uai": "0750654D", "name": "École …",
///  "relaisVersion": "0.x", "migrations": ["v1-box-and-bundles", …], "createdAt": "2026-…Z",
///  "contentIncluded": false,
///  "members": [{"path": "relais.sqlite", "bytes": N, "sha256": "…"}, {"path": "secret.key", …},
///              {"path": "tuf/root.json", …}, …]}
/// ```
public struct BackupManifest: Codable, Sendable, Equatable {
    /// The manifest's name inside the archive; always its first entry.
    public static let fileName = "relais-backup.json"
    public static let formatName = "relais-backup"
    /// The newest format this binary reads and the one it writes.
    public static let currentFormatVersion = 1

    public var format: String
    public var formatVersion: Int
    public var uai: String
    public var name: String
    public var relaisVersion: String
    /// The schema migrations applied to the database copy, in order.
    public var migrations: [String]
    /// ISO 8601, UTC.
    public var createdAt: String
    /// Whether the content store (store/blobs) is inside; false: bundles come back by sync or import.
    public var contentIncluded: Bool
    public var members: [Member]

    /// One file of the backup, its path relative to the data folder.
    public struct Member: Codable, Sendable, Equatable {
        public var path: String
        public var bytes: Int64
        public var sha256: String
    }
}

/// Why a backup or a restore was refused; each message says what to do.
public enum BackupError: Error, CustomStringConvertible, Equatable {
    case fileExists(String)
    case unreadable(String)
    case notABackup(String, reason: String)
    case newerFormat(Int, relaisVersion: String)
    case newerSchema([String], relaisVersion: String)
    case corruptMember(String, reason: String)
    case otherUAI(backup: String, expected: String, why: String)
    case targetHoldsBox(String, uai: String)
    case targetNotEmpty(String)
    case io(String, path: String, reason: String)

    public var description: String {
        switch self {
        case .fileExists(let path):
            return "\(path) already exists; choose another file name, or give --force to replace it"
        case .unreadable(let path):
            return "cannot read \(path); give the file `relais backup` wrote"
        case .notABackup(let path, let reason):
            return "\(path) is not a Relais backup (\(reason)); give the file `relais backup` wrote"
        case .newerFormat(let version, let relais):
            return "this backup uses format \(version), newer than this relais knows; install relais \(relais) or newer, then restore"
        case .newerSchema(let unknown, let relais):
            return "this backup was made by a newer relais (\(relais); its database has migrations this binary does not know: \(unknown.joined(separator: ", "))); install relais \(relais) or newer, then restore"
        case .corruptMember(let member, let reason):
            return "the backup is damaged: \(member) \(reason); nothing was restored — use another copy of the backup"
        case .otherUAI(let backup, let expected, let why):
            return "this backup is of UAI \(backup), not \(expected) (\(why)); check the file, or give --other-uai to restore it anyway"
        case .targetHoldsBox(let dir, let uai):
            return "\(dir) already holds a box (UAI \(uai)); restore into an empty folder, or give --replace to move it aside first (it is kept, not deleted)"
        case .targetNotEmpty(let dir):
            return "\(dir) is not empty and holds no box; restore into an empty or new folder"
        case .io(let what, let path, let reason):
            return "\(what) \(path): \(reason); check the disk space and permissions"
        }
    }
}

/// `relais backup` / `relais restore`: the database (SQLite's online backup, consistent while
/// `relais serve` writes), `secret.key` (pupils keep their pseudonyms) and the TUF metadata the box
/// trusts, in one tar file. The content store is left out: it comes back from the repository
/// (`relais sync --once`) or from the bundles (`relais import`).
public enum BoxBackup {
    /// What `write` produced.
    public struct Summary: Sendable {
        public var manifest: BackupManifest
        public var bytes: Int64
        /// Blobs of the box's store left out (re-synced or re-imported after a restore).
        public var blobsLeftOut: Int
    }

    /// What `restore` did.
    public struct RestoreSummary: Sendable {
        public var manifest: BackupManifest
        /// Where the box that was in the folder went (`--replace`), nil when there was none.
        public var movedAside: String?
        /// Bundles the restored database lists whose files must come back (sync or import).
        public var bundles: Int
    }

    /// What `restore` may overrule.
    public struct RestoreOptions: Sendable {
        /// The UAI the backup must be of (`--uai`); nil: the box in the folder, if any.
        public var uai: String?
        /// Restore a backup of another UAI anyway (`--other-uai`).
        public var otherUAI = false
        /// Move a box already in the folder aside first (`--replace`).
        public var replace = false
        public init(uai: String? = nil, otherUAI: Bool = false, replace: Bool = false) {
            (self.uai, self.otherUAI, self.replace) = (uai, otherUAI, replace)
        }
    }

    static let databaseMember = "relais.sqlite"
    static let secretMember = "secret.key"

    // MARK: - Backup

    /// Writes the backup of `box` to `path`: built beside it and renamed into place (never a half
    /// written file), owner-only (it holds the secret); refuses an existing file unless `force`.
    public static func write(box: Box, to path: String, force: Bool = false, now: Date = Date()) throws -> Summary {
        let file = URL(fileURLWithPath: path).standardizedFileURL.path
        if !force, FileManager.default.fileExists(atPath: file) { throw BackupError.fileExists(file) }
        let parent = (file as NSString).deletingLastPathComponent
        let work = try makeTemporaryFolder(in: parent, name: ".\((file as NSString).lastPathComponent).work")
        defer { try? FileManager.default.removeItem(atPath: work) }

        // SQLite's online backup: one read transaction of the pool, so the copy is one consistent
        // snapshot even while `relais serve` writes through another connection.
        let copyPath = work + "/" + databaseMember
        let (identity, migrations) = try copyDatabase(of: box, to: copyPath)

        var members: [(member: String, source: String, mode: Int32)] = [(databaseMember, copyPath, 0o600), (secretMember, box.directory.secretPath, 0o600)]
        for name in trustedMetadataFiles(box.directory) {
            members.append(("tuf/" + name, box.directory.tufPath + "/" + name, 0o644))
        }
        var listed: [BackupManifest.Member] = []
        for member in members {
            let (hash, bytes) = try hashFile(member.source)
            listed.append(.init(path: member.member, bytes: bytes, sha256: hash.hex))
        }
        let manifest = BackupManifest(
            format: BackupManifest.formatName, formatVersion: BackupManifest.currentFormatVersion, uai: identity.uai,
            name: identity.name, relaisVersion: RelaisVersion.current, migrations: migrations,
            createdAt: ISO8601DateFormatter().string(from: now), contentIncluded: false, members: listed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let manifestBytes = Array(try encoder.encode(manifest)) + [0x0a]

        // A plain tar: SQLite pages of zeros would trip the import's compression-ratio guard.
        let writer = try ArchiveWriter(path: file, format: .tar)
        try writer.addFile(BackupManifest.fileName, contents: manifestBytes)
        for (member, entry) in zip(members, listed) {
            try writer.addFile(member.member, size: entry.bytes, mode: member.mode, from: member.source)
        }
        try writer.finish(mode: 0o600)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? nil
        let blobs = try box.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM blob") ?? 0 }
        return Summary(manifest: manifest, bytes: size ?? 0, blobsLeftOut: blobs)
    }

    /// The online backup into a rollback-journal file that stands alone; returns the box row and
    /// the migrations read from the copy itself.
    private static func copyDatabase(of box: Box, to path: String) throws -> (BoxRecord, [String]) {
        do {
            let copy = try DatabaseQueue(path: path)
            try box.database.pool.backup(to: copy)
            let result = try copy.writeWithoutTransaction { db -> (BoxRecord, [String]) in
                // The copy keeps the WAL flag of its source: make it one self-contained file.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                guard let identity = try BoxRecord.fetchOne(db, key: 1) else { throw StoreError.database("the box row is missing") }
                let applied = try RelaisDatabase.migrator.appliedIdentifiers(db)
                let known = RelaisDatabase.migrator.migrations
                return (identity, known.filter(applied.contains) + applied.subtracting(known).sorted())
            }
            try copy.close()
            return result
        } catch let error as DatabaseError {
            throw StoreError.database("backup of the database: \(error.description)")
        }
    }

    /// The TUF metadata files the box keeps (root.json and the last verified ones), sorted.
    private static func trustedMetadataFiles(_ directory: DataDirectory) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.tufPath)) ?? []
        return names.filter { name in
            var folder: ObjCBool = false
            return name.hasSuffix(".json") && !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: directory.tufPath + "/" + name, isDirectory: &folder) && !folder.boolValue
        }.sorted()
    }

    // MARK: - Reading

    /// Reads and checks the manifest (the archive's first entry).
    public static func readManifest(_ reader: ArchiveReader, path: String) throws -> BackupManifest {
        let first: ArchiveEntry?
        do { first = try reader.nextEntry() } catch { throw BackupError.notABackup(path, reason: "\(error)") }
        guard let first, first.path.value == BackupManifest.fileName, first.kind == .file else {
            throw BackupError.notABackup(path, reason: "its first entry is not \(BackupManifest.fileName)")
        }
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: Data(try reader.readAll(maxBytes: 1 << 20)))
        } catch {
            throw BackupError.notABackup(path, reason: "unreadable \(BackupManifest.fileName): \(error)")
        }
        guard manifest.format == BackupManifest.formatName else {
            throw BackupError.notABackup(path, reason: "format « \(manifest.format) »")
        }
        guard manifest.formatVersion <= BackupManifest.currentFormatVersion else {
            throw BackupError.newerFormat(manifest.formatVersion, relaisVersion: manifest.relaisVersion)
        }
        let unknown = manifest.migrations.filter { !RelaisDatabase.migrator.migrations.contains($0) }
        guard unknown.isEmpty else { throw BackupError.newerSchema(unknown, relaisVersion: manifest.relaisVersion) }
        let names = manifest.members.map(\.path)
        guard names.contains(databaseMember), names.contains(secretMember), Set(names).count == names.count,
            names.allSatisfy({ $0 == databaseMember || $0 == secretMember || ($0.hasPrefix("tuf/") && !$0.dropFirst(4).contains("/")) })
        else {
            throw BackupError.notABackup(path, reason: "its manifest lists unexpected members: \(names.joined(separator: ", "))")
        }
        return manifest
    }

    // MARK: - Restore

    /// Restores the backup at `path` into `directory`: every member checked against the manifest,
    /// written into a temporary folder beside the target and renamed into place (nothing half
    /// restored). The content store is empty afterwards.
    public static func restore(from path: String, into directory: DataDirectory, options: RestoreOptions = .init()) throws -> RestoreSummary {
        let target = directory.root.path
        let fm = FileManager.default
        guard fm.isReadableFile(atPath: path) else { throw BackupError.unreadable(path) }
        let reader: ArchiveReader
        do { reader = try ArchiveReader(path: path) } catch { throw BackupError.notABackup(path, reason: "\(error)") }
        let manifest = try readManifest(reader, path: path)

        // What is in the folder now, and which UAI the backup must be of.
        var existingUAI: String?
        var folder: ObjCBool = false
        let targetExists = fm.fileExists(atPath: target, isDirectory: &folder)
        if targetExists {
            guard folder.boolValue else { throw BackupError.targetNotEmpty(target) }
            if directory.isInitialized {
                existingUAI = (try? readIdentity(databasePath: directory.databasePath))?.uai ?? "inconnue / unknown"
                if !options.replace { throw BackupError.targetHoldsBox(target, uai: existingUAI!) }
            } else if !((try? fm.contentsOfDirectory(atPath: target)) ?? []).isEmpty {
                throw BackupError.targetNotEmpty(target)
            }
        }
        if !options.otherUAI {
            if let wanted = options.uai, wanted != manifest.uai {
                throw BackupError.otherUAI(backup: manifest.uai, expected: wanted, why: "--uai")
            }
            if let existingUAI, existingUAI != manifest.uai {
                throw BackupError.otherUAI(backup: manifest.uai, expected: existingUAI, why: "the box in \(target)")
            }
        }

        let parent = (target as NSString).deletingLastPathComponent
        do { try fm.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw BackupError.io("cannot create", path: parent, reason: "\(error)")
        }
        let staging = try makeTemporaryFolder(in: parent, name: ".\((target as NSString).lastPathComponent).restore")
        var keepStaging = false
        defer { if !keepStaging { try? fm.removeItem(atPath: staging) } }

        try extractMembers(reader, manifest: manifest, into: staging, archivePath: path)
        let restored = DataDirectory(staging)
        for folder in [restored.blobsPath, restored.tmpPath] {
            do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw BackupError.io("cannot create", path: folder, reason: "\(error)")
            }
        }
        try BlobStore(restored).createShards()
        let bundles = try prepareDatabase(restored, manifest: manifest)

        // Into place: the old box (if any) moved aside first, never deleted.
        var movedAside: String?
        if targetExists {
            if directory.isInitialized {
                let aside = try asideName(for: target)
                guard rename(target, aside) == 0 else { throw BackupError.io("cannot move aside", path: target, reason: String(cString: strerror(errno))) }
                movedAside = aside
            } else if rmdir(target) != 0 {
                throw BackupError.io("cannot replace the empty folder", path: target, reason: String(cString: strerror(errno)))
            }
        }
        guard rename(staging, target) == 0 else {
            let reason = String(cString: strerror(errno))
            if let movedAside { _ = rename(movedAside, target) } else if targetExists { mkdir(target, 0o755) }
            throw BackupError.io("cannot move the restored box to", path: target, reason: reason)
        }
        keepStaging = true
        syncFolder(parent)
        return RestoreSummary(manifest: manifest, movedAside: movedAside, bundles: bundles)
    }

    /// Streams every member into `folder`, hashing it; refuses a member that is missing, extra,
    /// of another size or another SHA-256.
    private static func extractMembers(_ reader: ArchiveReader, manifest: BackupManifest, into folder: String, archivePath: String) throws {
        var expected = Dictionary(uniqueKeysWithValues: manifest.members.map { ($0.path, $0) })
        while true {
            let entry: ArchiveEntry?
            do { entry = try reader.nextEntry() } catch { throw BackupError.corruptMember("(archive)", reason: "cannot be read: \(error)") }
            guard let entry else { break }
            let name = entry.path.value
            if case .directory = entry.kind { continue }
            guard entry.kind == .file, let member = expected.removeValue(forKey: name) else {
                throw BackupError.corruptMember(name, reason: "is not listed in \(BackupManifest.fileName) (or is listed twice)")
            }
            let destination = folder + "/" + name
            if name.contains("/") {
                try? FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            }
            let mode: mode_t = name == secretMember || name == databaseMember ? 0o600 : 0o644
            let fd = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            guard fd >= 0 else { throw BackupError.io("cannot create", path: destination, reason: String(cString: strerror(errno))) }
            var hasher = ContentHasher()
            do {
                defer { close(fd) }
                try reader.readData { block in
                    hasher.update(block)
                    try ImportStaging.writeAll(fd, block, path: destination)
                }
                fsync(fd)
            } catch let error as StoreError {
                throw BackupError.io("cannot write", path: destination, reason: "\(error)")
            } catch {
                throw BackupError.corruptMember(name, reason: "cannot be read: \(error)")
            }
            guard hasher.byteCount == member.bytes else {
                throw BackupError.corruptMember(name, reason: "has \(hasher.byteCount) bytes instead of \(member.bytes)")
            }
            guard hasher.finalize().hex == member.sha256 else {
                throw BackupError.corruptMember(name, reason: "does not match its SHA-256 in \(BackupManifest.fileName)")
            }
        }
        if let missing = expected.keys.sorted().first {
            throw BackupError.corruptMember(missing, reason: "is missing from the archive")
        }
    }

    /// Checks the restored database (its own migrations and UAI against the manifest), brings it to
    /// this binary's schema, and forgets which signed targets were installed so the next sync fetches
    /// the bundles' files again (the store is empty). Returns how many bundles it lists.
    private static func prepareDatabase(_ restored: DataDirectory, manifest: BackupManifest) throws -> Int {
        do {
            let queue = try DatabaseQueue(path: restored.databasePath)
            let (identity, applied) = try queue.read { db -> (BoxRecord?, Set<String>) in
                (try BoxRecord.fetchOne(db, key: 1), try RelaisDatabase.migrator.appliedIdentifiers(db))
            }
            try queue.close()
            let unknown = applied.subtracting(RelaisDatabase.migrator.migrations)
            guard unknown.isEmpty else { throw BackupError.newerSchema(unknown.sorted(), relaisVersion: manifest.relaisVersion) }
            guard let identity, identity.uai == manifest.uai else {
                throw BackupError.corruptMember(databaseMember, reason: "is not the box the manifest names (UAI \(manifest.uai))")
            }
        } catch let error as DatabaseError {
            throw BackupError.corruptMember(databaseMember, reason: "is not a readable database: \(error.description)")
        }
        let database = try RelaisDatabase(path: restored.databasePath)
        return try database.write { db in
            try db.execute(sql: "UPDATE bundle SET targetHash = NULL WHERE targetHash IS NOT NULL")
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bundle") ?? 0
        }
    }

    private static func readIdentity(databasePath: String) throws -> BoxRecord? {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in try BoxRecord.fetchOne(db, key: 1) }
    }

    /// `DIR.avant-restauration-YYYYMMDDTHHMMSSZ` (with a counter if taken).
    private static func asideName(for target: String) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let base = target + ".avant-restauration-" + formatter.string(from: Date())
        var candidate = base
        var counter = 1
        while FileManager.default.fileExists(atPath: candidate) {
            counter += 1
            candidate = base + "-\(counter)"
        }
        return candidate
    }

    private static func makeTemporaryFolder(in parent: String, name: String) throws -> String {
        var template = Array((parent + "/" + name + ".XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw BackupError.io("cannot create a temporary folder in", path: parent, reason: String(cString: strerror(errno)))
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func hashFile(_ path: String) throws -> (ContentHash, Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BackupError.io("cannot read", path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        var hasher = ContentHasher()
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw BackupError.io("cannot read", path: path, reason: "\(error)")
            }
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return (hasher.finalize(), hasher.byteCount)
    }

    private static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
