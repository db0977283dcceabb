import Crypto
import Foundation
import GRDB
import RelaisCore

/// What `relais doctor` found.
public struct DoctorReport: Sendable {
    /// Problems, one line each, saying what to do.
    public var problems: [String] = []
    /// Things checked, for the admin's peace of mind.
    public var checks: [String] = []
}

extension Box {
    /// Checks the database and that every blob it references is on disk with the right size (and,
    /// when `deep`, the right SHA-256); with `repair`, removes files nothing references.
    public func doctor(deep: Bool, repair: Bool) throws -> DoctorReport {
        var report = DoctorReport()
        let integrity = try database.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        if integrity == ["ok"] {
            report.checks.append("database: ok")
        } else {
            report.problems.append("database: \(integrity.joined(separator: "; ")) — restore the data folder from a backup or re-create it with `relais init`")
        }
        let store = BlobStore(directory)
        let rows = try database.read { db in try Row.fetchAll(db, sql: "SELECT hash, size FROM blob") }
        var known = Set<ContentHash>()
        let stored = store.allHashes()
        if !rows.isEmpty, stored.isEmpty {
            // A box restored from a backup (`relais restore`): the content was left out of it.
            report.problems.append("the content store is empty but the database lists \(rows.count) files (a restored box?) — run `relais sync --once` or `relais import` to bring the bundles back")
            report.checks.append("store: \(rows.count) blobs checked")
            return report
        }
        for row in rows {
            guard let hash = ContentHash(hex: row[0]) else { continue }
            known.insert(hash)
            let path = store.path(for: hash)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let size = attributes[.size] as? Int64 ?? (attributes[.size] as? Int).map(Int64.init)
            else {
                report.problems.append("missing blob \(hash.hex) — re-import the bundles that use it")
                continue
            }
            if size != row[1] as Int64 {
                report.problems.append("blob \(hash.hex) has \(size) bytes instead of \(row[1] as Int64) — re-import the bundles that use it")
            } else if deep, let data = FileManager.default.contents(atPath: path), ContentHash(digest: SHA256.hash(data: data)) != hash {
                report.problems.append("blob \(hash.hex) is corrupt — re-import the bundles that use it")
            }
        }
        report.checks.append("store: \(rows.count) blobs checked\(deep ? " (SHA-256 recomputed)" : "")")
        if let disk = try? diskGuardState() { if disk.level == .ok { report.checks.append(disk.summary) } else { report.problems.append(disk.summary) } }
        let orphans = stored.filter { !known.contains($0) }
        if !orphans.isEmpty {
            if repair {
                let gc = try collectGarbage()  // `relais gc`, which --repair now runs
                report.checks.append("store: removed \(gc.removedCount) unreferenced files and leftovers (\(gc.bytesFreed) bytes freed)")
            } else {
                report.problems.append("\(orphans.count) files in the store are not referenced — run `relais doctor --repair` to remove them")
            }
        }
        return report
    }
}
