import Foundation
import RelaisCore
import RelaisRepository
import Testing

/// A repository written and signed by python-tuf 7.0.1: 1.root.json, 3.targets.json (one bundle
/// target with custom fields), 5.snapshot.json, and a timestamp that expired on 2020-01-01.
struct RoleMetadataTests {
    func load(_ name: String) throws -> SignedMetadata {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return try SignedMetadata(bytes: Array(try Data(contentsOf: url)))
    }

    /// 2026-11-29T00:00:00Z.
    let now: Int64 = 1_795_910_400

    @Test func readsAndVerifiesEveryTopLevelRoleWrittenByPythonTUF() throws {
        let root = try RootMetadata(try load("1.root.json").signed)
        let targetsFile = try load("3.targets.json")
        let snapshotFile = try load("5.snapshot.json")
        let timestampFile = try load("timestamp-expired.json")
        #expect(try root.verify(targetsFile, as: "targets") == 1)
        #expect(try root.verify(snapshotFile, as: "snapshot") == 1)
        #expect(try root.verify(timestampFile, as: "timestamp") == 1)
        // A role's file signed by another role's key does not verify.
        #expect(throws: TUFError.self) { try root.verify(targetsFile, as: "snapshot") }

        let targets = try TargetsMetadata(targetsFile.signed)
        #expect(targets.header.version == 3)
        let bundle = try #require(targets.targets["bundles/fr.relais.demo.calcul-mental/1.0.0.relais"])
        #expect(bundle.length == 12)
        #expect(bundle.hashes["sha256"] == "f40a912044d47ea7c32f37340db4fd5eb853ffb8fcd983f605d9eb4f8b02fbc2")
        #expect(bundle.custom?["kind"] == .string("solution"))

        let snapshot = try SnapshotMetadata(snapshotFile.signed)
        #expect(snapshot.meta["targets.json"]?.version == 3)
        let timestamp = try TimestampMetadata(timestampFile.signed)
        #expect(timestamp.snapshot.version == 5)
        #expect(timestamp.snapshot.length == 123)
    }

    @Test func knowsWhatHasExpired() throws {
        let timestamp = try TimestampMetadata(try load("timestamp-expired.json").signed)
        #expect(timestamp.header.isExpired(now: now))
        let root = try RootMetadata(try load("1.root.json").signed)
        #expect(!root.header.isExpired(now: now))
        // Expired at exactly the expiry time: the client workflow says "less than or equal to".
        #expect(root.header.isExpired(now: root.header.expires))
    }

    @Test func parsesTUFTimesToUnixSeconds() {
        #expect(TUFTime.parse("1970-01-01T00:00:00Z") == 0)
        #expect(TUFTime.parse("2030-01-01T00:00:00Z") == 1_893_456_000)
        #expect(TUFTime.parse("2024-02-29T23:59:59Z") == 1_709_251_199)
        #expect(TUFTime.parse("2030-01-01T00:00:00.5Z") == nil)
        #expect(TUFTime.parse("2030-01-01 00:00:00Z") == nil)
        #expect(TUFTime.parse("2030-13-01T00:00:00Z") == nil)
    }

    @Test func refusesARoleFileOfAnotherType() throws {
        #expect(throws: TUFError.malformed("`_type` is not snapshot")) { try SnapshotMetadata(try load("3.targets.json").signed) }
    }
}
