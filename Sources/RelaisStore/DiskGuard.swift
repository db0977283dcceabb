import Foundation
import RelaisCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How full the file system holding a data folder is.
public struct DiskUsage: Sendable, Equatable {
    /// Bytes an unprivileged writer can still use (statvfs `f_bavail`).
    public var availableBytes: Int64
    /// Bytes already used (`f_blocks - f_bfree`).
    public var usedBytes: Int64

    public init(availableBytes: Int64, usedBytes: Int64) {
        self.availableBytes = availableBytes
        self.usedBytes = usedBytes
    }

    /// `df`'s « Use% »: used / (used + available), so the root-reserved blocks count as full.
    public var usedFraction: Double {
        let usable = usedBytes + availableBytes
        return usable > 0 ? Double(usedBytes) / Double(usable) : 1
    }
}

/// Where the guard reads the free space from: statvfs in production.
public protocol FreeSpaceProbe: Sendable {
    func usage(of path: String) throws(StoreError) -> DiskUsage
}

/// statvfs(3) of the folder's file system.
public struct StatvfsProbe: FreeSpaceProbe {
    public init() {}
    public func usage(of path: String) throws(StoreError) -> DiskUsage {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { throw .io("cannot read the free space of", path: path, errno: errno) }
        let block = Int64(info.f_frsize)
        return DiskUsage(
            availableBytes: Int64(info.f_bavail) * block,
            usedBytes: (Int64(info.f_blocks) - Int64(info.f_bfree)) * block)
    }
}

/// What `relais status` and `relais doctor` show of the disk guard.
public struct DiskGuardState: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Codable {
        /// Below 85 %.
        case ok
        /// 85 % or more: everything works, the admin should free space.
        case warning
        /// 95 % or more: new imports and downloads are refused; serving and statements go on.
        case refusing
    }
    /// The data folder.
    public var path: String
    public var percentUsed: Double
    public var availableBytes: Int64
    public var totalBytes: Int64
    public var level: Level

    /// One line for `status` / `doctor`, French first.
    public var summary: String {
        let percent = String(format: "%.0f", percentUsed)
        switch level {
        case .ok:
            return "disque / disk: \(percent) % utilisé / used, \(ByteCount.format(availableBytes)) libres / free"
        case .warning:
            return "disque presque plein / disk nearly full: \(percent) % utilisé / used, \(ByteCount.format(availableBytes)) libres / free — au-delà de 95 % les imports sont refusés; free space with `relais gc --data \(path)`"
        case .refusing:
            return "disque plein / disk full: \(percent) % utilisé / used, \(ByteCount.format(availableBytes)) libres / free — imports and downloads are refused (statements are still recorded); run `relais gc --data \(path)`, remove old bundles or move the data folder to a bigger disk"
        }
    }
}

/// Refusal of the disk guard: the import or download would fill the data folder's disk.
public struct DiskFullError: Error, CustomStringConvertible, Equatable {
    public var state: DiskGuardState
    /// What was refused (« import of calcul.relais », « download of bundles/x/1.0.0.relais »).
    public var what: String
    public var neededBytes: Int64

    public var description: String {
        let percent = String(format: "%.0f", state.percentUsed)
        return "disque plein / disk full: the disk holding \(state.path) is \(percent) % used (\(ByteCount.format(state.availableBytes)) free) and \(what) needs \(ByteCount.format(neededBytes)); relais refuses new content above \(Int(DiskGuard.refuseFraction * 100)) % so statements can still be recorded — free space with `relais gc --data \(state.path)`, remove old bundles, or move the data folder to a bigger disk"
    }
}

/// The disk guard: warns at 85 % used; at 95 % refuses new content (imports, repository
/// downloads) so the last 5 % of the disk stays for what must never stop — the statements the
/// local LRS records, SQLite's WAL and the logs. Serving reads only, so it goes on.
///
/// The reserve is the 95 % line itself, checked before each write of content with the bytes it
/// will need: content can never push the disk past it, whatever its size, while statements
/// (about 1–2 kB each, never checked) may use the rest. On a 32 GB card that is 1.6 GB, a
/// million statements or more.
public struct DiskGuard: Sendable {
    public static let warnFraction = 0.85
    public static let refuseFraction = 0.95

    public let directory: DataDirectory
    let probe: any FreeSpaceProbe

    public init(_ directory: DataDirectory, probe: any FreeSpaceProbe = StatvfsProbe()) {
        self.directory = directory
        self.probe = probe
    }

    /// How full the disk is now.
    public func state() throws(StoreError) -> DiskGuardState {
        let usage = try probe.usage(of: directory.root.path)
        return state(usage)
    }

    func state(_ usage: DiskUsage) -> DiskGuardState {
        let fraction = usage.usedFraction
        let level: DiskGuardState.Level =
            fraction >= DiskGuard.refuseFraction ? .refusing : fraction >= DiskGuard.warnFraction ? .warning : .ok
        return DiskGuardState(
            path: directory.root.path, percentUsed: fraction * 100, availableBytes: usage.availableBytes,
            totalBytes: usage.usedBytes + usage.availableBytes, level: level)
    }

    /// Throws `DiskFullError` when writing `bytes` more would take the disk to 95 % or beyond.
    public func checkRoom(for bytes: Int64, what: String) throws {
        var budget = try self.budget()
        try budget.spend(bytes, what: what)
    }

    /// The disk read once, for a writer of many files (an import): each file is then counted
    /// against it without another statvfs.
    public func budget() throws(StoreError) -> DiskBudget {
        DiskBudget(guard: self, usage: try probe.usage(of: directory.root.path))
    }
}

/// What a writer may still put on the disk before the 95 % line, from one reading of it.
public struct DiskBudget: Sendable {
    let `guard`: DiskGuard
    let usage: DiskUsage
    /// Bytes counted so far.
    public private(set) var spent: Int64 = 0

    /// Counts `bytes` more; throws `DiskFullError` (nothing counted) when they would take the
    /// disk to 95 % or beyond.
    public mutating func spend(_ bytes: Int64, what: String) throws {
        let total = spent + max(0, bytes)
        let after = DiskUsage(availableBytes: usage.availableBytes - total, usedBytes: usage.usedBytes + total)
        if after.availableBytes < 0 || after.usedFraction >= DiskGuard.refuseFraction {
            throw DiskFullError(state: `guard`.state(usage), what: what, neededBytes: max(0, bytes))
        }
        spent = total
    }
}

extension Box {
    /// The disk guard's state for this box's data folder.
    public func diskGuardState() throws -> DiskGuardState { try DiskGuard(directory).state() }
}
