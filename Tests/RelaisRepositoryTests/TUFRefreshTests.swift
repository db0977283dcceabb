import Foundation
import RelaisCore
import RelaisRepository
import Testing

/// The client workflow on an honest repository: what it fetches, trusts and writes down.
struct TUFRefreshTests {
    @Test func acceptsAFreshRepositoryAndPersistsEachRoleAsReceived() async throws {
        let repo = TestRepository()
        repo.targets["bundles/a/1.0.0.relais"] = Array("bundle".utf8)
        repo.publish()
        let folder = try temporaryFolder()
        let refresh = try await repo.client(in: folder).refresh()

        #expect(refresh.rootVersion == 1 && refresh.timestampVersion == 1 && refresh.snapshotVersion == 1 && refresh.targetsVersion == 1)
        #expect(refresh.downloadedSnapshotOrTargets)
        #expect(refresh.targets.targets["bundles/a/1.0.0.relais"]?.length == 6)
        #expect(refresh.earliestExpiry == TestRepository.inAYear)
        #expect(repo.transport.fetched == ["2.root.json", "timestamp.json", "1.snapshot.json", "1.targets.json"])
        for (file, served) in [("timestamp.json", "timestamp.json"), ("snapshot.json", "1.snapshot.json"), ("targets.json", "1.targets.json")] {
            #expect(FileManager.default.contents(atPath: "\(folder)/\(file)").map(Array.init) == repo.transport[metadata: served])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["root.json", "snapshot.json", "targets.json", "timestamp.json"])
    }

    @Test func aNoChangeRefreshFetchesOnlyTheRootProbeAndTimestamp() async throws {
        let repo = TestRepository()
        repo.publish()
        let folder = try temporaryFolder()
        _ = try await repo.client(in: folder).refresh()
        repo.transport.resetLog()

        let refresh = try await repo.client(in: folder).refresh()
        #expect(repo.transport.fetched == ["2.root.json", "timestamp.json"])
        #expect(!refresh.downloadedSnapshotOrTargets)
        #expect(refresh.targetsVersion == 1)
    }

    @Test func aNewTimestampListingTheSameSnapshotFetchesNothingElse() async throws {
        let repo = TestRepository()
        repo.publish()
        let folder = try temporaryFolder()
        _ = try await repo.client(in: folder).refresh()
        repo.versions["timestamp"] = 2
        repo.publish()
        repo.transport.resetLog()

        let refresh = try await repo.client(in: folder).refresh()
        #expect(refresh.timestampVersion == 2)
        #expect(repo.transport.fetched == ["2.root.json", "timestamp.json"])
    }

    @Test func newTargetsAreFetchedUnderTheirVersionedNames() async throws {
        let repo = TestRepository()
        repo.publish()
        let folder = try temporaryFolder()
        _ = try await repo.client(in: folder).refresh()
        repo.versions["targets"] = 2
        repo.versions["snapshot"] = 2
        repo.versions["timestamp"] = 2
        repo.targets["b.txt"] = Array("b".utf8)
        repo.publish()
        repo.transport.resetLog()

        let updater = try repo.client(in: folder)
        let refresh = try await updater.refresh()
        #expect(repo.transport.fetched == ["2.root.json", "timestamp.json", "2.snapshot.json", "2.targets.json"])
        #expect(refresh.targetsVersion == 2)
        #expect(updater.targetInfo("b.txt")?.length == 1)
    }

    @Test func withoutConsistentSnapshotsFetchesPlainNames() async throws {
        let repo = TestRepository()
        repo.consistentSnapshot = false
        repo.metaHashes = false
        repo.publish()
        _ = try await repo.client(in: try temporaryFolder()).refresh()
        #expect(repo.transport.fetched == ["2.root.json", "timestamp.json", "snapshot.json", "targets.json"])
    }

    @Test func initializeRefusesARootNotSignedByItsOwnKeys() throws {
        let repo = TestRepository()
        repo.signers["root"] = [TestKey()]
        let folder = try temporaryFolder() + "/metadata"
        #expect(throws: TUFError.self) { try TUFUpdater.initialize(metadataDirectory: folder, trustedRoot: repo.root()) }
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test func initializeCreatesAPrivateFolder() throws {
        let folder = try temporaryFolder() + "/a/metadata"
        try TUFUpdater.initialize(metadataDirectory: folder, trustedRoot: TestRepository().root())
        let attributes = try FileManager.default.attributesOfItem(atPath: folder)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        #expect(FileManager.default.fileExists(atPath: folder + "/root.json"))
    }

    @Test func anUpdaterWithoutATrustedRootSaysHowToGiveOne() throws {
        let folder = try temporaryFolder()
        #expect(throws: TUFError.notInitialized(directory: folder)) {
            try TUFUpdater(metadataDirectory: folder, transport: MemoryTransport(), now: TestRepository.now)
        }
    }

    @Test func refusalsReadAsOneLineSayingWhatToDo() {
        let errors: [any Error] = [
            TUFError.rollback(role: "timestamp", trusted: 5, got: 3),
            TUFError.versionMismatch(role: "snapshot", got: 3, listed: 2, listedBy: "timestamp"),
            TransportError.tooLarge("timestamp.json", limit: 16_384),
        ]
        for error in errors {
            let line = "\(error)"
            #expect(!line.contains("\n"))
            #expect(line.contains(";"))
        }
    }
}
