import Crypto
import Foundation
import GRDB
import RelaisCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `relais doctor` found.
public struct DoctorReport: Sendable {
    /// Problems, one line each, ending with the command that fixes it.
    public var problems: [String] = []
    /// Things checked, for the admin's peace of mind.
    public var checks: [String] = []

    public init(problems: [String] = [], checks: [String] = []) {
        self.problems = problems
        self.checks = checks
    }

    /// Both reports, checks and problems in order.
    public mutating func append(_ other: DoctorReport) {
        problems += other.problems
        checks += other.checks
    }
}

extension Box {
    /// Checks the database (`PRAGMA integrity_check`, the full one) and that every blob it
    /// references is on disk with the right size (and, when `deep`, the right SHA-256); with
    /// `repair`, removes files nothing references.
    public func doctor(deep: Bool, repair: Bool) throws -> DoctorReport {
        var report = DoctorReport()
        let root = directory.root.path
        let integrity: [String]
        do {
            integrity = try database.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        } catch {
            // So damaged that SQLite stops reading (SQLITE_CORRUPT, not a list of faults).
            integrity = ["\(error)"]
        }
        if integrity == ["ok"] {
            report.checks.append("database: integrity_check ok")
        } else {
            let shown = integrity.prefix(3).joined(separator: "; ") + (integrity.count > 3 ? "; … (\(integrity.count) lines)" : "")
            report.problems.append("database: integrity_check failed (\(shown)) — restore the last backup: relais restore --data \(root) BACKUP_FILE")
        }
        let store = BlobStore(directory)
        let rows = try database.read { db in try Row.fetchAll(db, sql: "SELECT hash, size FROM blob") }
        var known = Set<ContentHash>()
        let stored = store.allHashes()
        if !rows.isEmpty, stored.isEmpty {
            // A box restored from a backup (`relais restore`): the content was left out of it.
            report.problems.append("the content store is empty but the database lists \(rows.count) files (a restored box?) — bring the bundles back: relais sync --once --data \(root) (or relais import --data \(root) PATH)")
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
                report.problems.append("missing blob \(hash.hex) — re-import the bundles that use it: relais fsck --data \(root), then relais sync --data \(root) --once")
                continue
            }
            if size != row[1] as Int64 {
                report.problems.append("blob \(hash.hex) has \(size) bytes instead of \(row[1] as Int64) — re-import the bundles that use it: relais fsck --data \(root), then relais sync --data \(root) --once")
            } else if deep, let data = FileManager.default.contents(atPath: path), ContentHash(digest: SHA256.hash(data: data)) != hash {
                report.problems.append("blob \(hash.hex) is corrupt — re-import the bundles that use it: relais fsck --data \(root), then relais sync --data \(root) --once")
            }
        }
        report.checks.append("store: \(rows.count) blobs checked\(deep ? " (SHA-256 recomputed)" : "")")
        let orphans = stored.filter { !known.contains($0) }
        if !orphans.isEmpty {
            if repair {
                let gc = try collectGarbage()  // `relais gc`, which --repair now runs
                report.checks.append("store: removed \(gc.removedCount) unreferenced files and leftovers (\(gc.bytesFreed) bytes freed)")
            } else {
                report.problems.append("\(orphans.count) files in the store are not referenced — remove them: relais doctor --data \(root) --repair")
            }
        }
        return report
    }

    /// The checks of the box's surroundings that need no network: permissions, disk, trust root,
    /// clock. `disk` and `clock` are read from the system unless given.
    public func environmentChecks(clock: Date = Date(), disk: BoxStatus.DiskUsage? = nil) throws -> DoctorReport {
        var report = DoctorReport()
        report.append(permissionChecks())
        let root = directory.root.path
        let disk = disk ?? BoxStatus.DiskUsage.of(path: root)
        if disk.usedPercent >= BoxStatus.diskWarningPercent {
            report.problems.append("disk: \(disk.usedPercent) % used, \(ByteCount.format(disk.freeBytes)) free on the data folder's file system (\(BoxStatus.diskWarningPercent) % or more; from \(BoxStatus.diskRefusePercent) % imports and downloads are refused) — free space: relais gc --data \(root) (and remove old files outside Relais)")
        } else {
            report.checks.append("disk: \(disk.usedPercent) % used, \(ByteCount.format(disk.freeBytes)) free")
        }
        report.append(try trustRootCheck())
        let state = try syncState()
        let check = BoxStatus.ClockCheck(systemTime: Int64(clock.timeIntervalSince1970), trustedTime: state.trustedTime)
        switch check.state {
        case "behind":
            report.problems.append("clock: the system clock is \(BoxStatus.duration(check.behindBySeconds ?? 0, .en)) behind the last time the box verified — fix it: timedatectl set-ntp true (or set the date and check the RTC battery)")
        case "ahead":
            report.problems.append("clock: the system clock is \(BoxStatus.duration(check.aheadBySeconds ?? 0, .en)) ahead of the last time the box verified (more than \(BoxStatus.ClockCheck.aheadLimitDays) days) — check it: timedatectl set-ntp true")
        case "ok": report.checks.append("clock: consistent with the last verified time")
        default: report.checks.append("clock: nothing verified yet (no sync), not checked")
        }
        return report
    }

    /// The data folder and everything in it belong to the folder's owner and are writable by
    /// this user; `secret.key` is readable by its owner only (mode 600).
    func permissionChecks() -> DoctorReport {
        var report = DoctorReport()
        let fm = FileManager.default
        let root = directory.root.path
        guard let rootAttributes = try? fm.attributesOfItem(atPath: root), let owner = (rootAttributes[.ownerAccountID] as? NSNumber)?.uint32Value else {
            report.problems.append("permissions: cannot read the data folder \(root) — check it exists and is readable: ls -ld \(root)")
            return report
        }
        let ownerName = (rootAttributes[.ownerAccountName] as? String) ?? String(owner)
        let me = geteuid()
        if access(root, W_OK) != 0 {
            let user = Self.userName(me)
            report.problems.append("permissions: the data folder \(root) is not writable by \(user) — run relais as \(ownerName) (sudo -u \(ownerName) relais …) or give it to \(user): chown -R \(user): \(root)")
        }
        var foreign: [String] = []
        var unwritable: [String] = []
        var walked = 0
        if let walker = fm.enumerator(atPath: root) {
            while let relative = walker.nextObject() as? String {
                let path = root + "/" + relative
                walked += 1
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                if info.st_uid != owner { foreign.append(relative) }
                if (info.st_mode & S_IFMT) != S_IFLNK, access(path, W_OK) != 0 { unwritable.append(relative) }
            }
        }
        if !foreign.isEmpty {
            report.problems.append("permissions: \(foreign.count) file(s) in the data folder are not owned by \(ownerName), its owner (first: \(foreign.sorted()[0])) — give them back: chown -R \(ownerName): \(root)")
        }
        if !unwritable.isEmpty {
            report.problems.append("permissions: \(unwritable.count) file(s) in the data folder are not writable by \(Self.userName(me)) (first: \(unwritable.sorted()[0])) — fix: chown -R \(ownerName): \(root) && chmod -R u+rwX \(root)")
        }
        var info = stat()
        if stat(directory.secretPath, &info) != 0 {
            report.problems.append("permissions: \(directory.secretPath) is missing (pseudonyms depend on it) — restore it from a backup: relais restore --data \(root) BACKUP_FILE")
        } else if info.st_mode & 0o077 != 0 {
            report.problems.append("permissions: \(directory.secretPath) has mode \(String(info.st_mode & 0o777, radix: 8)), readable by others — fix: chmod 600 \(directory.secretPath)")
        } else {
            report.checks.append("permissions: secret.key mode 600")
        }
        if foreign.isEmpty, unwritable.isEmpty, access(root, W_OK) == 0 {
            report.checks.append("permissions: \(walked) files owned by \(ownerName) and writable")
        }
        return report
    }

    /// The trust root (`tuf/root.json`): present when a repository is configured, and a root
    /// metadata document when present.
    func trustRootCheck() throws -> DoctorReport {
        var report = DoctorReport()
        let root = directory.root.path
        let path = directory.tufPath + "/root.json"
        let repository = try setting("repository.url")
        guard let bytes = FileManager.default.contents(atPath: path) else {
            if repository.isEmpty {
                report.checks.append("trust root: none (no repository configured; local bundles only)")
            } else {
                report.problems.append("trust root: \(path) is missing but repository.url is set, so no sync can be verified — copy the hub's root.json there (the file relais init --trust takes): install -m 644 ROOT.json \(path)")
            }
            return report
        }
        let json = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any]
        let signed = json?["signed"] as? [String: Any]
        guard let signed, signed["_type"] as? String == "root", signed["keys"] is [String: Any], signed["roles"] is [String: Any],
            json?["signatures"] is [Any]
        else {
            report.problems.append("trust root: \(path) is not a TUF root metadata document — put the hub's root.json back: install -m 644 ROOT.json \(path)")
            return report
        }
        report.checks.append("trust root: root.json version \((signed["version"] as? Int).map(String.init) ?? "?")")
        if repository.isEmpty {
            // A box fed by USB sticks (relais import) needs no repository address.
            report.checks.append("repository: none configured (updates by relais import only)")
        }
        return report
    }

    static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return String(uid) }
        return String(cString: name)
    }
}
