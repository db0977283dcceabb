import Crypto
import Foundation
import RelaisCore
import RelaisHub
import RelaisRepository
import Testing

/// `relais repo add` and `publish`: metadata that RelaisRepository verifies, targets under their
/// consistent names, versions that grow.
struct HubPublishTests {
    @Test func publishedMetadataVerifiesAgainstTheRoot() throws {
        let hub = try HubFixture()
        try hub.initialize()
        let bundle = try hub.bundle()
        let added = try HubRepository.add(repo: hub.repo, files: [bundle, try hub.licence()])
        #expect(added.map(\.path) == ["bundles/fr.relais.test.demo/1.0.0.relais", "licences/0750654D.json"])
        let summary = try hub.publish()
        #expect((summary.rootVersion, summary.targetsVersion, summary.snapshotVersion, summary.timestampVersion) == (1, 1, 1, 1))
        #expect(!summary.rootRenewed)
        #expect(summary.targetCount == 2)
        #expect(summary.expires == [
            .root: hub.now + 365 * 86_400, .targets: hub.now + 90 * 86_400, .snapshot: hub.now + 30 * 86_400, .timestamp: hub.now + 7 * 86_400,
        ])

        let root = try hub.root()
        let timestamp = try hub.metadata("timestamp.json")
        try root.verify(timestamp, as: "timestamp")
        let timestampSigned = try TimestampMetadata(timestamp.signed)
        #expect(timestampSigned.header.expires == hub.now + 7 * 86_400)
        let snapshotBytes = try hub.bytes("metadata/1.snapshot.json")
        #expect(timestampSigned.snapshot.version == 1)
        #expect(timestampSigned.snapshot.length == Int64(snapshotBytes.count))
        #expect(timestampSigned.snapshot.hashes["sha256"] == ContentHash(digest: SHA256.hash(data: snapshotBytes)).hex)
        let snapshot = try SignedMetadata(bytes: snapshotBytes)
        try root.verify(snapshot, as: "snapshot")
        #expect(try SnapshotMetadata(snapshot.signed).meta["targets.json"]?.version == 1)
        let targets = try hub.metadata("1.targets.json")
        try root.verify(targets, as: "targets")
        #expect(throws: TUFError.self) { try root.verify(targets, as: "timestamp") }

        let listed = try TargetsMetadata(targets.signed).targets
        let entry = try #require(listed["bundles/fr.relais.test.demo/1.0.0.relais"])
        let bundleBytes = Array(try Data(contentsOf: URL(fileURLWithPath: bundle)))
        let hash = ContentHash(digest: SHA256.hash(data: bundleBytes)).hex
        #expect(entry.length == Int64(bundleBytes.count))
        #expect(entry.hashes == ["sha256": hash])
        #expect(try hub.bytes("targets/bundles/fr.relais.test.demo/\(hash).1.0.0.relais") == bundleBytes)
        #expect(entry.custom == .object([
            "id": .string("fr.relais.test.demo"), "version": .string("1.0.0"), "kind": .string("solution"),
            "title": .object(["fr": .string("Démo"), "en": .string("Demo")]), "standard": .string("html5"), "licenceRequired": .bool(true),
        ]))
        let licence = try #require(listed["licences/0750654D.json"])
        #expect(licence.custom == .object(["uai": .string("0750654D")]))
        #expect(hub.files(under: "targets").count == 2)
    }

    @Test func publishingAgainBumpsEveryVersionButRoot() throws {
        let hub = try HubFixture()
        try hub.initialize()
        try HubRepository.add(repo: hub.repo, files: [try hub.bundle()])
        try hub.publish()
        let second = try hub.publish(at: hub.now + 60)
        #expect((second.rootVersion, second.targetsVersion, second.snapshotVersion, second.timestampVersion) == (1, 2, 2, 2))
        #expect(!second.rootRenewed)
        #expect(try TimestampMetadata(try hub.metadata("timestamp.json").signed).header.version == 2)
        for name in ["1.targets.json", "2.targets.json", "1.snapshot.json", "2.snapshot.json"] {
            #expect(FileManager.default.fileExists(atPath: hub.repo + "/metadata/" + name))
        }
        #expect(!FileManager.default.fileExists(atPath: hub.repo + "/metadata/2.root.json"))
    }

    @Test func anEmptyRepositoryPublishes() throws {
        let hub = try HubFixture()
        try hub.initialize()
        #expect(try hub.publish().targetCount == 0)
        try hub.root().verify(try hub.metadata("1.targets.json"), as: "targets")
    }

    @Test func aRootCloseToExpiryIsRenewed() throws {
        let hub = try HubFixture()
        try hub.initialize(expiries: Expiries(rootDays: 60))
        let summary = try hub.publish()
        #expect(summary.rootRenewed)
        #expect(summary.rootVersion == 2)
        var trusted = try TrustedRoot(bytes: try hub.bytes("metadata/1.root.json"))
        try trusted.update(with: try hub.bytes("metadata/2.root.json"))
        #expect(trusted.root.header.expires == hub.now + 365 * 86_400)
    }

    @Test func refusesToPublishWithoutTheKeys() throws {
        let hub = try HubFixture()
        try hub.initialize()
        let empty = hub.folder + "/empty-keys"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        #expect(throws: HubError.self) { try HubRepository.publish(repo: hub.repo, keys: empty, now: hub.now) }
        #expect(throws: HubError.keysInsideRepository(keys: hub.repo + "/metadata", repo: hub.repo)) {
            try HubRepository.publish(repo: hub.repo, keys: hub.repo + "/metadata", now: hub.now)
        }
        let keyFile = try #require(try FileManager.default.contentsOfDirectory(atPath: hub.keys).first)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: hub.keys + "/" + keyFile)
        #expect(throws: HubError.keysNotPrivate(hub.keys + "/" + keyFile)) { try hub.publish() }
        #expect(!FileManager.default.fileExists(atPath: hub.repo + "/metadata/timestamp.json"))
    }
}
