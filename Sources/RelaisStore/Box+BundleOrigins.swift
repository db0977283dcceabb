import Foundation
import GRDB

/// Ports of the bundles' own origins (`serve.bundlePorts`), assigned once and kept.
public struct BundlePortAssignment: Sendable, Equatable {
    /// Bundle id → port, for every bundle that has one.
    public var ports: [String: Int]
    /// Bundles that asked for a port when the range had none left.
    public var unassigned: [String]
}

extension Box {
    /// Gives every bundle of `bundleIDs` that has no port yet the lowest free port of `range`
    /// (in bundle id order, one transaction) and returns every bundle's port. Ports outside the
    /// range (the range was changed) are kept: a bundle's origin must not move under its pupils.
    public func assignBundlePorts(_ bundleIDs: [String], range: ClosedRange<Int>, now: Date = Date()) throws -> BundlePortAssignment {
        try database.write { db in
            var ports: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT bundleId, port FROM bundleOrigin") {
                ports[row["bundleId"]] = row["port"]
            }
            let missing = Set(bundleIDs).subtracting(ports.keys).sorted()
            guard !missing.isEmpty else { return BundlePortAssignment(ports: ports, unassigned: []) }
            var taken = Set(ports.values)
            var candidate = range.lowerBound
            var unassigned: [String] = []
            for id in missing {
                while candidate <= range.upperBound, taken.contains(candidate) { candidate += 1 }
                guard candidate <= range.upperBound else {
                    unassigned.append(id)
                    continue
                }
                try db.execute(
                    sql: "INSERT INTO bundleOrigin (bundleId, port, assignedAt) VALUES (?, ?, ?)",
                    arguments: [id, candidate, Int64(now.timeIntervalSince1970)])
                ports[id] = candidate
                taken.insert(candidate)
            }
            return BundlePortAssignment(ports: ports, unassigned: unassigned)
        }
    }

    /// Every bundle id the box holds (listed or not), for port assignment.
    public func bundleIDs() throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT id FROM bundle ORDER BY id") }
    }
}
