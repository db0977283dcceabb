import Foundation
import RelaisRepository
import Testing

/// The client against a repository written by an independent implementation: python-tuf 7.0.1's
/// Metadata API (Fixtures/make_python_tuf_repository.py), read from a folder as from a USB stick.
struct PythonTUFRepositoryTests {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/python-tuf-repo").path

    @Test func refreshesThroughARootRotationAndDownloadsAConsistentSnapshotTarget() async throws {
        let folder = try temporaryFolder()
        let root1 = Array(try Data(contentsOf: URL(fileURLWithPath: repository + "/metadata/1.root.json")))
        try TUFUpdater.initialize(metadataDirectory: folder + "/metadata", trustedRoot: root1)
        let updater = try TUFUpdater(metadataDirectory: folder + "/metadata", transport: FolderTransport(root: repository), now: TestRepository.now)

        let refresh = try await updater.refresh()
        #expect(refresh.rootVersion == 2)
        #expect(refresh.timestampVersion == 1 && refresh.snapshotVersion == 1 && refresh.targetsVersion == 1)
        #expect(FileManager.default.contents(atPath: folder + "/metadata/root.json") == FileManager.default.contents(atPath: repository + "/metadata/2.root.json"))

        let name = "bundles/demo/1.relais"
        try await updater.download(name, to: folder + "/bundle", partial: folder + "/bundle.partial")
        let target = try #require(updater.targetInfo(name))
        #expect(Int64(FileManager.default.contents(atPath: folder + "/bundle")?.count ?? 0) == target.length)
        #expect(updater.hasVerifiedCopy(of: name, at: folder + "/bundle"))
    }
}
