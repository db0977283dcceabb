import Foundation
import RelaisHub
import Testing

/// `relais repo verify`: the TUF client's checks on the folder before it ships.
struct HubVerifyTests {
    @Test func aPublishedRepositoryVerifiesFromItsFirstRootAfterRotation() async throws {
        let hub = try HubFixture()
        try hub.initialize()
        try HubRepository.add(repo: hub.repo, files: [try hub.bundle(), try hub.licence()])
        try hub.publish()
        try HubRepository.rotate(repo: hub.repo, keys: hub.keys, role: .root, now: hub.now + 60)
        let report = try await HubRepository.verify(repo: hub.repo, trustedRoot: hub.repo + "/metadata/1.root.json", now: hub.now + 120)
        #expect(report.rootVersion == 2)
        #expect(report.targets == ["bundles/fr.relais.test.demo/1.0.0.relais", "licences/0750654D.json"])
        #expect(!report.unpublishedChanges)
        try HubRepository.remove(repo: hub.repo, targetPaths: ["licences/0750654D.json"])
        #expect(try await HubRepository.verify(repo: hub.repo, trustedRoot: hub.repo + "/metadata/2.root.json", now: hub.now + 120).unpublishedChanges)
    }

    @Test func aTamperedTargetOrExpiredMetadataFails() async throws {
        let hub = try HubFixture()
        try hub.initialize()
        try HubRepository.add(repo: hub.repo, files: [try hub.licence()])
        try hub.publish()
        let trust = hub.repo + "/metadata/1.root.json"
        await #expect(throws: HubError.self) {
            try await HubRepository.verify(repo: hub.repo, trustedRoot: trust, now: hub.now + 8 * 86_400)
        }
        let file = try #require(hub.files(under: "targets/licences").first)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: hub.repo + "/targets/licences/" + file))
        try handle.seek(toOffset: 2)
        try handle.write(contentsOf: Data("X".utf8))
        try handle.close()
        await #expect {
            try await HubRepository.verify(repo: hub.repo, trustedRoot: trust, now: hub.now)
        } throws: { error in
            guard case .verificationFailed = error as? HubError else { return false }
            return true
        }
    }
}
