import Foundation
import GRDB
import RelaisArchive
import RelaisCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `relais fsck` found and did.
public struct FsckReport: Sendable {
    /// A stored blob that is not what the database says.
    public struct Damage: Sendable, Equatable {
        public enum Kind: String, Sendable { case missing, wrongSize = "wrong size", corrupt }
        public var hash: ContentHash
        public var kind: Kind
        /// Human-readable detail (sizes, hash found).
        public var detail: String
        /// Where the damaged file went (nil when it was missing).
        public var quarantinedAt: String?
    }
    /// What happened to a bundle one of whose versions used a damaged blob.
    public struct BundleAction: Sendable, Equatable {
        public var bundleID: String
        public var origin: String
        /// The versions removed (they will not be served half-broken).
        public var removedVersions: [String]
        /// The version now serving, when an older kept version was whole.
        public var fallback: String?
        /// Whether its active version is gone (nothing serves until sync or re-import).
        public var activeLost: Bool
    }

    public var blobsChecked = 0
    public var bytesChecked: Int64 = 0
    public var damages: [Damage] = []
    public var bundles: [BundleAction] = []
    /// Bundles whose active version is missing from the database (left by an earlier fsck).
    public var waiting: [(id: String, origin: String)] = []
    /// Store files nothing references (harmless; `relais gc` removes them).
    public var unreferencedFiles = 0
    public var clean: Bool { damages.isEmpty && bundles.isEmpty && waiting.isEmpty }
}

extension Box {
    /// `relais fsck`: re-hashes every stored blob (SHA-256, streamed) and checks its size; moves a
    /// corrupt one to `DIR/quarantine/` with a `.txt` saying why; removes every bundle version that
    /// used a damaged blob (never served half-broken), serves the previous kept version instead
    /// when it is whole, and forgets the bundle's signed target so the next `relais sync` fetches it
    /// again (a local bundle must be re-imported). Holds the store lock.
    public func fsck(now: Date = Date()) throws -> FsckReport {
        let lock = try StoreLock(directory)
        defer { withExtendedLifetime(lock) {} }
        try StoreRecovery(directory: directory, database: database, logger: logger).run()
        var report = FsckReport()
        let blobs = BlobStore(directory)
        let rows = try database.read { db in try Row.fetchAll(db, sql: "SELECT hash, size FROM blob ORDER BY hash") }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for row in rows {
            guard let hash = ContentHash(hex: row[0]) else { continue }
            let expectedSize: Int64 = row[1]
            let path = blobs.path(for: hash)
            report.blobsChecked += 1
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                report.damages.append(.init(hash: hash, kind: .missing, detail: "absent from the store (\(String(cString: strerror(errno))))"))
                continue
            }
            var hasher = ContentHasher()
            var readError: Int32 = 0
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    readError = errno
                    break
                }
                if n == 0 { break }
                buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            }
            Glibc.close(fd)
            report.bytesChecked += hasher.byteCount
            let damage: FsckReport.Damage?
            if readError != 0 {
                damage = .init(hash: hash, kind: .corrupt, detail: "unreadable: \(String(cString: strerror(readError)))")
            } else if hasher.byteCount != expectedSize {
                damage = .init(hash: hash, kind: .wrongSize, detail: "\(hasher.byteCount) bytes instead of \(expectedSize)")
            } else {
                let actual = hasher.finalize()
                damage = actual == hash ? nil : .init(hash: hash, kind: .corrupt, detail: "SHA-256 is \(actual.hex)")
            }
            guard var damage else { continue }
            damage.quarantinedAt = try quarantine(path, hash: hash, reason: "\(damage.kind.rawValue): \(damage.detail)", now: now)
            report.damages.append(damage)
        }

        let known = Set(rows.compactMap { ContentHash(hex: $0[0]) })
        report.unreferencedFiles = blobs.allHashes().filter { !known.contains($0) }.count

        let damaged = report.damages.map(\.hash.hex)
        let (actions, garbage, waiting) = try database.write { db -> ([FsckReport.BundleAction], [ContentHash], [(String, String)]) in
            var actions: [FsckReport.BundleAction] = []
            if !damaged.isEmpty {
                let marks = damaged.map { _ in "?" }.joined(separator: ",")
                let affected = try Row.fetchAll(db, sql: """
                    SELECT DISTINCT bundleId, version FROM bundleFile WHERE blob IN (\(marks)) ORDER BY bundleId, version
                    """, arguments: StatementArguments(damaged))
                let byBundle = Dictionary(grouping: affected.map { (id: $0[0] as String, version: $0[1] as String) }, by: { $0.id })
                for (id, versions) in byBundle.sorted(by: { $0.key < $1.key }) {
                    guard let bundle = try Row.fetchOne(db, sql: "SELECT activeVersion, origin FROM bundle WHERE id = ?", arguments: [id]) else { continue }
                    let active: String = bundle[0]
                    let removed = versions.map(\.version)
                    for version in removed {
                        try db.execute(sql: "DELETE FROM bundleVersion WHERE bundleId = ? AND version = ?", arguments: [id, version])
                    }
                    var action = FsckReport.BundleAction(bundleID: id, origin: bundle[1], removedVersions: removed, fallback: nil, activeLost: false)
                    if removed.contains(active) {
                        // The newest whole version left serves; nothing when there is none. The
                        // signed target is forgotten so the next sync downloads it again.
                        let fallback = try String.fetchOne(db, sql: """
                            SELECT version FROM bundleVersion WHERE bundleId = ? ORDER BY importedAt DESC, rowid DESC LIMIT 1
                            """, arguments: [id])
                        if let fallback {
                            try db.execute(sql: "UPDATE bundle SET activeVersion = ? WHERE id = ?", arguments: [fallback, id])
                        }
                        try db.execute(sql: "UPDATE bundle SET targetHash = NULL WHERE id = ?", arguments: [id])
                        action.fallback = fallback
                        action.activeLost = fallback == nil
                    }
                    actions.append(action)
                }
            }
            let waiting = try Row.fetchAll(db, sql: """
                SELECT b.id, b.origin FROM bundle b
                WHERE NOT EXISTS (SELECT 1 FROM bundleVersion v WHERE v.bundleId = b.id AND v.version = b.activeVersion)
                ORDER BY b.id
                """).map { ($0[0] as String, $0[1] as String) }
            return (actions, try RelaisDatabase.collectGarbage(db), waiting)
        }
        report.bundles = actions
        let lost = Set(actions.filter(\.activeLost).map(\.bundleID))
        report.waiting = waiting.filter { !lost.contains($0.0) }.map { (id: $0.0, origin: $0.1) }
        for hash in garbage where !report.damages.contains(where: { $0.hash == hash }) { blobs.remove(hash) }
        if !report.clean {
            logger.warning("fsck found damage", metadata: [
                "fsck.damaged": "\(report.damages.count)", "fsck.bundles": "\(report.bundles.map(\.bundleID))",
            ])
        }
        return report
    }

    /// Moves a damaged blob to `DIR/quarantine/HASH-STAMP` beside a `.txt` with the reason;
    /// returns where it went.
    private func quarantine(_ path: String, hash: ContentHash, reason: String, now: Date) throws -> String {
        let folder = directory.quarantinePath
        if Glibc.mkdir(folder, 0o700) != 0, errno != EEXIST { throw StoreError.io("cannot create", path: folder, errno: errno) }
        let name = "\(hash.hex)-\(Int64(now.timeIntervalSince1970))"
        let target = folder + "/" + name
        let note = "blob \(hash.hex)\nreason: \(reason)\nfound by relais fsck at \(ISO8601DateFormatter().string(from: now))\n"
        try Data(note.utf8).write(to: URL(fileURLWithPath: target + ".txt"))
        guard Glibc.rename(path, target) == 0 else { throw StoreError.io("cannot move to quarantine", path: path, errno: errno) }
        return target
    }
}
