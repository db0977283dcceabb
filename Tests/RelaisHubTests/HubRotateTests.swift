import Foundation
import RelaisCore
import RelaisHub
import RelaisRepository
import Testing

/// `relais repo rotate`: a new root a box accepts from the old one, old keys retired.
struct HubRotateTests {
    @Test func rotatingRootGivesTheNextRootSignedByOldAndNewKeys() throws {
        let hub = try HubFixture()
        try hub.initialize([.root: RoleKeyPolicy(keyCount: 3, threshold: 2)])
        try HubRepository.add(repo: hub.repo, files: [try hub.bundle()])
        try hub.publish()
        let oldRoot = try hub.root()
        let summary = try HubRepository.rotate(repo: hub.repo, keys: hub.keys, role: .root, now: hub.now + 60)
        #expect(summary.publish.rootVersion == 2)
        #expect(summary.newKeyIDs.count == 3)
        #expect(Set(summary.retiredKeyIDs) == Set(oldRoot.roles["root"]?.keyIDs ?? []))

        var trusted = try TrustedRoot(bytes: try hub.bytes("metadata/1.root.json"))
        try trusted.update(with: try hub.bytes("metadata/2.root.json"))
        #expect(Set(trusted.root.roles["root"]?.keyIDs ?? []) == Set(summary.newKeyIDs))
        #expect(trusted.root.roles["root"]?.threshold == 2)
        #expect(try hub.metadata("2.root.json").signatures.count == 6)
        #expect(try hub.bytes("metadata/root.json") == (try hub.bytes("metadata/2.root.json")))
        #expect(FileManager.default.fileExists(atPath: hub.repo + "/metadata/1.root.json"))
        try trusted.root.verify(try hub.metadata("timestamp.json"), as: "timestamp")
        try trusted.root.verify(try hub.metadata("2.targets.json"), as: "targets")

        let retired = try FileManager.default.contentsOfDirectory(atPath: hub.keys + "/retired")
        #expect(retired.count == 3)
        #expect(retired.allSatisfy { $0.hasPrefix("root-") })
        #expect(try hub.mode(hub.keys + "/retired") == 0o700)
        // The repository stays publishable with the keys now in force.
        #expect(try hub.publish(at: hub.now + 120).rootVersion == 2)
    }

    @Test func rotatingTimestampChangesOnlyItsKeys() throws {
        let hub = try HubFixture()
        try hub.initialize()
        try hub.publish()
        let before = try hub.root()
        let summary = try HubRepository.rotate(repo: hub.repo, keys: hub.keys, role: .timestamp, now: hub.now + 60)
        var trusted = try TrustedRoot(bytes: try hub.bytes("metadata/1.root.json"))
        try trusted.update(with: try hub.bytes("metadata/2.root.json"))
        let after = trusted.root
        #expect(after.roles["root"] == before.roles["root"])
        #expect(after.roles["targets"] == before.roles["targets"])
        #expect(after.roles["timestamp"]?.keyIDs == summary.newKeyIDs)
        #expect(after.keys.count == 4)
        let timestamp = try hub.metadata("timestamp.json")
        try after.verify(timestamp, as: "timestamp")
        #expect(throws: TUFError.self) { try before.verify(timestamp, as: "timestamp") }
        #expect(summary.publish.timestampVersion == 2)
    }
}
