import Foundation
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import Testing

/// Issue 9: each bundle's port (`serve.bundlePorts`) is assigned once and kept.
struct BundleOriginStoreTests {
    @Test func portsAreAssignedOnceLowestFirstAndKeptAcrossCallsAndRangeChanges() throws {
        let t = try TestBox()
        let first = try t.box.assignBundlePorts(["fr.b", "fr.a"], range: 20000...20009)
        #expect(first.ports == ["fr.a": 20000, "fr.b": 20001])  // in id order
        #expect(first.unassigned.isEmpty)
        // A new bundle gets the next free port; the others keep theirs.
        let second = try t.box.assignBundlePorts(["fr.a", "fr.b", "fr.c"], range: 20000...20009)
        #expect(second.ports == ["fr.a": 20000, "fr.b": 20001, "fr.c": 20002])
        // A bundle that left the box and came back finds its port again; a changed range moves no one.
        let later = try t.box.assignBundlePorts(["fr.b", "fr.d"], range: 30000...30009)
        #expect(later.ports["fr.b"] == 20001)
        #expect(later.ports["fr.d"] == 30000)
        // Reopened from disk, the same ports.
        let reopened = try Box.open(t.box.directory, logger: t.box.logger)
        #expect(try reopened.assignBundlePorts(["fr.a", "fr.c"], range: 20000...20009).ports["fr.c"] == 20002)
    }

    @Test func aFullRangeLeavesTheRestUnassignedAndSaysWhich() throws {
        let t = try TestBox()
        let assignment = try t.box.assignBundlePorts(["fr.a", "fr.b", "fr.c"], range: 20000...20001)
        #expect(assignment.ports == ["fr.a": 20000, "fr.b": 20001])
        #expect(assignment.unassigned == ["fr.c"])
    }

    @Test func theSettingTakesARangeOrZero() {
        #expect(BundlePorts("20000-20999") == .range(20000...20999))
        #expect(BundlePorts("0") == .ephemeral)
        for bad in ["", "20000", "20999-20000", "80-90", "20000-70000", "a-b"] {
            #expect(BundlePorts(bad) == nil, "\(bad)")
            #expect(Setting.named("serve.bundlePorts")?.problem(with: bad) != nil)
        }
    }
}
