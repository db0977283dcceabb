import Foundation
import RelaisCore
import RelaisRepository
import Testing

/// Target downloads: bounded by the signed length, verified over the whole file, resumed from a
/// partial file, never left in place when wrong.
struct TUFDownloadTests {
    let name = "bundles/fr.relais.demo/1.0.0.relais"
    let content = Array((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })

    func refreshed(_ setUp: (TestRepository) -> Void = { _ in }) async throws -> (TestRepository, TUFUpdater, String) {
        let repo = TestRepository()
        repo.targets[name] = content
        setUp(repo)
        repo.publish()
        let folder = try temporaryFolder()
        let updater = try repo.client(in: folder + "/metadata")
        _ = try await updater.refresh()
        return (repo, updater, folder)
    }

    func bytes(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map(Array.init) }

    @Test func downloadsUnderTheConsistentSnapshotNameAndVerifies() async throws {
        let (repo, updater, folder) = try await refreshed()
        try await updater.download(name, to: "\(folder)/bundle", partial: "\(folder)/bundle.partial")
        #expect(bytes("\(folder)/bundle") == content)
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/bundle.partial"))
        let request = try #require(repo.transport.requestedTargets.first)
        #expect(request.path == "bundles/fr.relais.demo/\(sha256(content)).1.0.0.relais")
        #expect(request.offset == 0)
        #expect(updater.hasVerifiedCopy(of: name, at: "\(folder)/bundle"))
    }

    @Test func resumesFromThePartialFileAndRequestsOnlyTheRest() async throws {
        let (repo, updater, folder) = try await refreshed()
        try Data(content[0..<40_000]).write(to: URL(fileURLWithPath: "\(folder)/bundle.partial"))
        try await updater.download(name, to: "\(folder)/bundle", partial: "\(folder)/bundle.partial")
        #expect(repo.transport.requestedTargets.map(\.offset) == [40_000])
        #expect(bytes("\(folder)/bundle") == content)
    }

    @Test func aServerIgnoringRangeStillYieldsTheWholeFile() async throws {
        let (repo, updater, folder) = try await refreshed()
        repo.transport.ignoresRange = true
        try Data(content[0..<40_000]).write(to: URL(fileURLWithPath: "\(folder)/bundle.partial"))
        try await updater.download(name, to: "\(folder)/bundle", partial: "\(folder)/bundle.partial")
        #expect(bytes("\(folder)/bundle") == content)
    }

    @Test func aWrongPartialPrefixIsDiscardedAndTheDownloadStartsOver() async throws {
        let (repo, updater, folder) = try await refreshed()
        try Data(repeating: 0xFF, count: 40_000).write(to: URL(fileURLWithPath: "\(folder)/bundle.partial"))
        try await updater.download(name, to: "\(folder)/bundle", partial: "\(folder)/bundle.partial")
        #expect(repo.transport.requestedTargets.map(\.offset) == [40_000, 0])
        #expect(bytes("\(folder)/bundle") == content)
    }

    @Test func aTargetNotMatchingItsHashIsRefusedAndNotKept() async throws {
        let (repo, updater, folder) = try await refreshed()
        let path = repo.hashedPath(name, content)
        repo.transport[target: path] = content.map { $0 ^ 1 }
        await #expect(throws: TUFError.hashMismatch(file: name, algorithm: "sha256")) {
            try await updater.download(name, to: "\(folder)/bundle", partial: "\(folder)/bundle.partial")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/bundle"))
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/bundle.partial"))
    }

    @Test func anOversizedTargetIsCutOffAtItsSignedLength() async throws {
        let (repo, updater, folder) = try await refreshed()
        repo.transport[target: repo.hashedPath(name, content)] = content + [0]
        do {
            try await updater.download(name, to: "\(folder)/bundle", partial: "\(folder)/bundle.partial")
            Issue.record("an oversized target was accepted")
        } catch let error as TransportError {
            guard case .tooLarge(_, Int64(content.count)) = error else { throw error }
        }
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/bundle"))
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/bundle.partial"))
    }

    @Test func aShortTargetIsRefused() async throws {
        let (repo, updater, folder) = try await refreshed()
        repo.transport[target: repo.hashedPath(name, content)] = Array(content.dropLast())
        await #expect(throws: TUFError.lengthMismatch(file: name, expected: Int64(content.count), got: Int64(content.count - 1))) {
            try await updater.download(name, to: "\(folder)/bundle", partial: "\(folder)/bundle.partial")
        }
    }

    @Test func aTargetTheMetadataDoesNotListIsRefused() async throws {
        let (_, updater, folder) = try await refreshed()
        await #expect(throws: TUFError.unknownTarget("other")) {
            try await updater.download("other", to: "\(folder)/other", partial: "\(folder)/other.partial")
        }
    }
}
