import Foundation
import RelaisCore
import RelaisRepository
import Testing

/// Root rotation (client workflow 5.3): each new root signed by a threshold of the old and the
/// new root keys, versions in exact steps, only the final root unexpired; and recovery from a
/// fast-forward attack once the timestamp or snapshot keys are rotated (5.3.11).
struct TUFRootRotationTests {
    func trustedRepository() async throws -> (TestRepository, String) {
        let repo = TestRepository()
        repo.publish()
        let folder = try temporaryFolder()
        _ = try await repo.client(in: folder).refresh()
        return (repo, folder)
    }

    /// Next root version with new root keys, signed by the old ones too (unless told otherwise).
    func rotateRoot(_ repo: TestRepository, oldKeysSign: Bool = true) {
        let old = repo.keys["root"] ?? []
        repo.keys["root"] = [TestKey()]
        repo.versions["root", default: 1] += 1
        repo.publishRoot(signedBy: oldKeysSign ? old : [])
    }

    @Test func aRotatedRootSignedByOldAndNewKeysIsTrustedAndPersisted() async throws {
        let (repo, folder) = try await trustedRepository()
        rotateRoot(repo)
        repo.transport.resetLog()
        let refresh = try await repo.client(in: folder).refresh()
        #expect(refresh.rootVersion == 2)
        #expect(repo.transport.fetched == ["2.root.json", "3.root.json", "timestamp.json"])
        #expect(FileManager.default.contents(atPath: "\(folder)/root.json").map(Array.init) == repo.transport[metadata: "2.root.json"])
    }

    @Test func rotationGoesThroughAnExpiredIntermediateRoot() async throws {
        let (repo, folder) = try await trustedRepository()
        repo.expires["root"] = TestRepository.now - 86_400
        rotateRoot(repo)
        repo.expires["root"] = TestRepository.inAYear
        rotateRoot(repo)
        #expect(try await repo.client(in: folder).refresh().rootVersion == 3)
    }

    @Test func aFinalRootThatExpiredIsRefusedButKept() async throws {
        let (repo, folder) = try await trustedRepository()
        repo.expires["root"] = TestRepository.now - 1
        rotateRoot(repo)
        do {
            _ = try await repo.client(in: folder).refresh()
            Issue.record("an expired final root was accepted")
        } catch {
            #expect(error as? TUFError == .expired(role: "root", expires: TestRepository.now - 1))
        }
        // Trusting v2 is right (it is properly signed); only using the repository is refused.
        #expect(try TrustedRoot(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/root.json")))).root.version == 2)
    }

    @Test func aRootMissingTheOldKeysSignaturesIsRefused() async throws {
        let (repo, folder) = try await trustedRepository()
        let trusted = FileManager.default.contents(atPath: "\(folder)/root.json")
        rotateRoot(repo, oldKeysSign: false)
        await #expect(throws: TUFError.belowThreshold(role: "root", valid: 0, threshold: 1)) { try await repo.client(in: folder).refresh() }
        #expect(FileManager.default.contents(atPath: "\(folder)/root.json") == trusted)
    }

    @Test func aRootThatSkipsAVersionIsRefused() async throws {
        let (repo, folder) = try await trustedRepository()
        repo.versions["root"] = 3
        let bytes = repo.root()
        repo.transport[metadata: "2.root.json"] = bytes
        await #expect(throws: TUFError.unexpectedVersion(role: "root", expected: 2, got: 3)) { try await repo.client(in: folder).refresh() }
    }

    @Test func theRootChainStopsAfterTheRotationLimit() async throws {
        let (repo, folder) = try await trustedRepository()
        for _ in 0..<3 { rotateRoot(repo) }
        var limits = TUFUpdater.Limits()
        limits.maxRootRotations = 2
        let updater = try TUFUpdater(metadataDirectory: folder, transport: repo.transport, now: TestRepository.now, limits: limits)
        #expect(try await updater.refresh().rootVersion == 3)
    }

    @Test func timestampFastForwardIsRecoveredAfterTimestampKeyRotation() async throws {
        let (repo, folder) = try await trustedRepository()
        // An attacker with the timestamp key pushed the version far ahead.
        repo.versions["timestamp"] = 1_000
        repo.publish()
        _ = try await repo.client(in: folder).refresh()
        // The hub rotates the timestamp key and goes back to its real version.
        repo.keys["timestamp"] = [TestKey()]
        repo.versions["timestamp"] = 2
        rotateRoot(repo)
        repo.publish()
        let refresh = try await repo.client(in: folder).refresh()
        #expect(refresh.timestampVersion == 2)
    }

    @Test func snapshotFastForwardIsRecoveredAfterSnapshotKeyRotation() async throws {
        let (repo, folder) = try await trustedRepository()
        repo.versions["snapshot"] = 1_000
        repo.versions["timestamp"] = 2
        repo.publish()
        _ = try await repo.client(in: folder).refresh()
        repo.keys["snapshot"] = [TestKey()]
        repo.versions["snapshot"] = 2
        repo.versions["timestamp"] = 3
        rotateRoot(repo)
        repo.publish()
        #expect(try await repo.client(in: folder).refresh().snapshotVersion == 2)
    }

    @Test func withoutKeyRotationTheFastForwardedTimestampStillBlocks() async throws {
        let (repo, folder) = try await trustedRepository()
        repo.versions["timestamp"] = 1_000
        repo.publish()
        _ = try await repo.client(in: folder).refresh()
        repo.versions["timestamp"] = 2
        rotateRoot(repo)
        repo.publish()
        await #expect(throws: TUFError.rollback(role: "timestamp", trusted: 1_000, got: 2)) { try await repo.client(in: folder).refresh() }
    }
}
