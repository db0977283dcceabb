import Foundation
import RelaisCore
import RelaisHub
import RelaisRepository
import Testing

/// `relais repo init`: a signed first root, private keys outside the repository.
struct HubInitTests {
    @Test func writesASignedFirstRootAndPrivateKeyFiles() throws {
        let hub = try HubFixture()
        try hub.initialize([.root: RoleKeyPolicy(keyCount: 3, threshold: 2)])
        let trusted = try TrustedRoot(bytes: try hub.bytes("metadata/1.root.json"))
        #expect(trusted.root.version == 1)
        #expect(trusted.root.consistentSnapshot)
        #expect(trusted.root.roles["root"]?.keyIDs.count == 3)
        #expect(trusted.root.roles["root"]?.threshold == 2)
        #expect(trusted.root.roles["timestamp"]?.threshold == 1)
        #expect(trusted.root.header.expires == hub.now + 365 * 86_400)
        #expect(trusted.root.header.specVersion == "1.0.31")
        #expect(try hub.bytes("metadata/root.json") == (try hub.bytes("metadata/1.root.json")))
        #expect(try hub.metadata("root.json").signatures.count == 3)
        #expect(try hub.mode(hub.keys) == 0o700)
        let keyFiles = try FileManager.default.contentsOfDirectory(atPath: hub.keys)
        #expect(keyFiles.count == 6)
        for file in keyFiles { #expect(try hub.mode(hub.keys + "/" + file) == 0o600) }
        #expect(!hub.files(under: "").contains { $0.contains("private") })
        let anyKey = try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: hub.keys + "/" + keyFiles[0]))), numbers: .integersOnly)
        #expect(anyKey["keytype"] == .string("ed25519"))
        #expect(anyKey["scheme"] == .string("ed25519"))
    }

    @Test func refusesKeysInsideTheRepository() throws {
        let hub = try HubFixture()
        #expect(throws: HubError.keysInsideRepository(keys: hub.repo + "/keys", repo: hub.repo)) {
            try HubRepository.initialize(repo: hub.repo, keys: hub.repo + "/keys", now: hub.now)
        }
        #expect(!FileManager.default.fileExists(atPath: hub.repo))
        #expect(throws: HubError.self) { try HubRepository.initialize(repo: hub.repo, keys: hub.repo, now: hub.now) }
        // Through a symbolic link and a `..`, too.
        try FileManager.default.createDirectory(atPath: hub.repo, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: hub.folder + "/link", withDestinationPath: hub.repo)
        #expect(throws: HubError.self) { try HubRepository.initialize(repo: hub.repo, keys: hub.folder + "/link/keys", now: hub.now) }
        #expect(throws: HubError.self) { try HubRepository.initialize(repo: hub.repo, keys: hub.repo + "/a/../keys", now: hub.now) }
    }

    @Test func refusesAnExistingRepositoryAndBadPolicies() throws {
        let hub = try HubFixture()
        try hub.initialize()
        #expect(throws: HubError.repositoryExists(hub.repo)) { try hub.initialize() }
        let other = try HubFixture()
        #expect(throws: HubError.self) { try other.initialize([.root: RoleKeyPolicy(keyCount: 1, threshold: 2)]) }
        #expect(throws: HubError.self) { try other.initialize([.targets: RoleKeyPolicy(keyCount: 0, threshold: 0)]) }
        #expect(throws: HubError.self) { try other.initialize(expiries: Expiries(rootDays: 0)) }
    }

    @Test func refusesAKeysFolderOthersCanRead() throws {
        let hub = try HubFixture()
        try FileManager.default.createDirectory(atPath: hub.keys, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        #expect(throws: HubError.keysNotPrivate(hub.keys)) { try hub.initialize() }
    }

    @Test func commandsRefuseAFolderThatIsNoRepository() throws {
        let hub = try HubFixture()
        #expect(throws: HubError.notARepository(hub.repo)) { try hub.publish() }
        #expect(throws: HubError.notARepository(hub.repo)) { try HubRepository.add(repo: hub.repo, files: []) }
    }
}
