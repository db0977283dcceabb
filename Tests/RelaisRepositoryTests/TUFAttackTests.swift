import Foundation
import RelaisCore
import RelaisRepository
import Testing

/// Each attack of the TUF threat model as one change to an honest repository the client already
/// trusts; the refresh must throw and keep the trusted files.
struct TUFAttackTests {
    /// A repository, a client folder that refreshed once, and the client's trusted files then.
    func trustedRepository(_ setUp: (TestRepository) -> Void = { _ in }) async throws -> (TestRepository, String) {
        let repo = TestRepository()
        setUp(repo)
        repo.publish()
        let folder = try temporaryFolder()
        _ = try await repo.client(in: folder).refresh()
        return (repo, folder)
    }

    func refreshError(_ repo: TestRepository, _ folder: String, now: Int64 = TestRepository.now) async -> (any Error)? {
        do {
            _ = try await repo.client(in: folder, now: now).refresh()
            return nil
        } catch {
            return error
        }
    }

    func trustedVersion(_ folder: String, _ role: String) throws -> Int64? {
        guard let data = FileManager.default.contents(atPath: "\(folder)/\(role).json") else { return nil }
        guard case .integer(let version)? = try SignedMetadata(bytes: Array(data)).signed["version"] else { return nil }
        return version
    }

    // MARK: Rollback

    @Test func timestampRollbackIsRefused() async throws {
        let (repo, folder) = try await trustedRepository { $0.versions["timestamp"] = 2 }
        repo.versions["timestamp"] = 1
        repo.publish()
        #expect(await refreshError(repo, folder) as? TUFError == .rollback(role: "timestamp", trusted: 2, got: 1))
        #expect(try trustedVersion(folder, "timestamp") == 2)
    }

    @Test func snapshotRollbackIsRefused() async throws {
        let (repo, folder) = try await trustedRepository { $0.versions["snapshot"] = 2 }
        repo.versions["timestamp"] = 2
        repo.versions["snapshot"] = 1
        repo.publish()
        #expect(await refreshError(repo, folder) as? TUFError == .metaRollback(file: "snapshot.json", listedBy: "timestamp", trusted: 2, got: 1))
        #expect(try trustedVersion(folder, "timestamp") == 1)
    }

    @Test func targetsRollbackIsRefused() async throws {
        let (repo, folder) = try await trustedRepository { $0.versions["targets"] = 2 }
        repo.versions["timestamp"] = 2
        repo.versions["snapshot"] = 2
        repo.versions["targets"] = 1
        repo.publish()
        #expect(await refreshError(repo, folder) as? TUFError == .metaRollback(file: "targets.json", listedBy: "snapshot", trusted: 2, got: 1))
        #expect(try trustedVersion(folder, "snapshot") == 1)
        #expect(try trustedVersion(folder, "targets") == 2)
    }

    // MARK: Freeze (expiry)

    @Test(arguments: ["timestamp", "snapshot", "targets", "root"])
    func expiredMetadataIsRefused(role: String) async throws {
        let repo = TestRepository()
        repo.expires[role] = TestRepository.now - 1
        repo.publish()
        let folder = try temporaryFolder()
        let error = await refreshError(repo, folder)
        #expect(error as? TUFError == .expired(role: role, expires: TestRepository.now - 1))
        if role != "root" { #expect(try trustedVersion(folder, role) == nil) }
    }

    @Test func metadataExpiringExactlyNowIsExpired() async throws {
        let repo = TestRepository()
        repo.expires["timestamp"] = TestRepository.now
        repo.publish()
        #expect(await refreshError(repo, try temporaryFolder()) as? TUFError == .expired(role: "timestamp", expires: TestRepository.now))
    }

    @Test func aFrozenTimestampIsRefusedOnceItExpires() async throws {
        let tomorrow = TestRepository.now + 86_400
        let (repo, folder) = try await trustedRepository { $0.expires["timestamp"] = tomorrow }
        // The server (or a mirror in the middle) keeps handing out the same timestamp.
        #expect(await refreshError(repo, folder, now: tomorrow + 1) as? TUFError == .expired(role: "timestamp", expires: tomorrow))
    }

    // MARK: Mix-and-match

    @Test func aSnapshotWhoseVersionDiffersFromTheTimestampsIsRefused() async throws {
        let repo = TestRepository()
        repo.versions["snapshot"] = 3
        repo.metaHashes = false
        repo.publish()
        // The timestamp vouches for snapshot 2, the server hands out snapshot 3 under that name.
        repo.transport[metadata: "2.snapshot.json"] = repo.transport[metadata: "3.snapshot.json"]
        repo.versions["snapshot"] = 2
        repo.transport[metadata: "timestamp.json"] = repo.timestampFile(listing: [])
        #expect(await refreshError(repo, try temporaryFolder()) as? TUFError == .versionMismatch(role: "snapshot", got: 3, listed: 2, listedBy: "timestamp"))
    }

    @Test func aTargetsWhoseVersionDiffersFromTheSnapshotsIsRefused() async throws {
        let repo = TestRepository()
        repo.consistentSnapshot = false
        repo.metaHashes = false
        repo.versions["targets"] = 2
        repo.publish()
        repo.versions["targets"] = 1
        repo.transport[metadata: "targets.json"] = repo.targetsFile()
        #expect(await refreshError(repo, try temporaryFolder()) as? TUFError == .versionMismatch(role: "targets", got: 1, listed: 2, listedBy: "snapshot"))
    }

    // MARK: Hashes and lengths of metadata

    @Test func aSnapshotNotMatchingTheTimestampsHashIsRefused() async throws {
        let repo = TestRepository()
        repo.publish()
        // Same version, same length, other bytes (another expiry date), validly signed.
        repo.expires["snapshot"] = TestRepository.inAYear + 1
        repo.transport[metadata: "1.snapshot.json"] = repo.snapshotFile(listing: repo.targetsFile())
        #expect(await refreshError(repo, try temporaryFolder()) as? TUFError == .hashMismatch(file: "1.snapshot.json", algorithm: "sha256"))
    }

    @Test func aSnapshotShorterThanTheTimestampSaysIsRefused() async throws {
        let repo = TestRepository()
        repo.publish()
        let served = try #require(repo.transport[metadata: "1.snapshot.json"])
        repo.transport[metadata: "1.snapshot.json"] = Array(served.dropLast())
        #expect(await refreshError(repo, try temporaryFolder()) as? TUFError == .lengthMismatch(file: "1.snapshot.json", expected: Int64(served.count), got: Int64(served.count - 1)))
    }

    @Test func aSnapshotLongerThanTheTimestampSaysIsNotEvenRead() async throws {
        let repo = TestRepository()
        repo.publish()
        let served = try #require(repo.transport[metadata: "1.snapshot.json"])
        repo.transport[metadata: "1.snapshot.json"] = served + Array(repeating: UInt8(ascii: " "), count: 10)
        let error = await refreshError(repo, try temporaryFolder())
        guard case .tooLarge("1.snapshot.json", Int64(served.count))? = error as? TransportError else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            return
        }
    }

    @Test func targetsNotMatchingTheSnapshotsHashIsRefused() async throws {
        let repo = TestRepository()
        repo.publish()
        repo.expires["targets"] = TestRepository.inAYear + 1
        repo.transport[metadata: "1.targets.json"] = repo.targetsFile()
        #expect(await refreshError(repo, try temporaryFolder()) as? TUFError == .hashMismatch(file: "1.targets.json", algorithm: "sha256"))
    }

    @Test func anOversizedTimestampIsCutOff() async throws {
        let repo = TestRepository()
        repo.publish()
        repo.transport[metadata: "timestamp.json"] = Array(repeating: UInt8(ascii: " "), count: 16_385)
        let error = await refreshError(repo, try temporaryFolder())
        guard case .tooLarge("timestamp.json", 16_384)? = error as? TransportError else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            return
        }
    }

    // MARK: Signatures

    @Test func belowThresholdIsRefused() async throws {
        let repo = TestRepository()
        let only = TestKey()
        repo.keys["timestamp"] = [only, TestKey()]
        repo.thresholds["timestamp"] = 2
        repo.signers["timestamp"] = [only]
        repo.publish()
        #expect(await refreshError(repo, try temporaryFolder()) as? TUFError == .belowThreshold(role: "timestamp", valid: 1, threshold: 2))
    }

    /// A keyid twice in `signatures` makes the file invalid (§4.2), even with threshold 1.
    @Test func aSignatureRepeatedByOneKeyIsRefused() async throws {
        let repo = TestRepository()
        let only = TestKey()
        repo.keys["timestamp"] = [only]
        repo.signers["timestamp"] = [only, only]
        repo.publish()
        #expect(await refreshError(repo, try temporaryFolder()) as? TUFError == .duplicateSignature(keyID: only.id))
    }

    @Test func aRoleSignedByAnotherRolesKeyIsRefused() async throws {
        let repo = TestRepository()
        repo.signers["snapshot"] = repo.keys["targets"]
        repo.publish()
        #expect(await refreshError(repo, try temporaryFolder()) as? TUFError == .belowThreshold(role: "snapshot", valid: 0, threshold: 1))
    }

    @Test func aTargetsFileSignedByAnUnknownKeyIsRefused() async throws {
        let repo = TestRepository()
        repo.signers["targets"] = [TestKey()]
        repo.publish()
        #expect(await refreshError(repo, try temporaryFolder()) as? TUFError == .belowThreshold(role: "targets", valid: 0, threshold: 1))
    }
}
