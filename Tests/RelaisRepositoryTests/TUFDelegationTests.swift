import Foundation
import RelaisCore
import RelaisRepository
import Testing

/// Targets delegations in the box's client (§4.5, §5.6.7). tests/tuf/run.py covers the search
/// over HTTP against python-tuf's ngclient; these pin what is easier to see from inside.
struct TUFDelegationTests {
    @Test func aDelegatedTargetIsFoundFetchingOnlyTheRolesOnTheWay() async throws {
        let repo = TestRepository()
        repo.targets["top.txt"] = Array("top".utf8)
        repo.delegated = [
            .init(name: "docs", paths: ["docs/*"], targets: ["docs/a.txt": Array("a".utf8)]),
            .init(name: "bundles", paths: ["bundles/*/*.relais"], targets: ["bundles/x/1.relais": Array("bundle".utf8)]),
        ]
        repo.publish()
        let folder = try temporaryFolder()
        let updater = try repo.client(in: folder)
        _ = try await updater.refresh()
        #expect(updater.targetInfo("bundles/x/1.relais") == nil)
        repo.transport.resetLog()
        let found = try #require(try await updater.findTarget("bundles/x/1.relais"))
        #expect(found.length == 6)
        #expect(repo.transport.fetched == ["1.bundles.json"])
        #expect(updater.fetchedRoles == ["bundles"])
        #expect(updater.targetInfo("bundles/x/1.relais") == found)
        try await updater.download("bundles/x/1.relais", to: folder + "/out", partial: folder + "/out.part")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/out")) == Data("bundle".utf8))
        #expect(try await updater.findTarget("bundles/x/2.relais") == nil)
        #expect(try await updater.findTarget("elsewhere/1.txt") == nil)

        // The next refresh takes the verified copy of the role from the folder.
        let again = try repo.client(in: folder)
        _ = try await again.refresh()
        repo.transport.resetLog()
        #expect(try await again.findTarget("bundles/x/1.relais") == found)
        #expect(repo.transport.fetched.isEmpty)
    }

    /// Even without a trusted snapshot to compare with (the snapshot keys rotated, say), a
    /// delegated role older than the cached one is refused.
    @Test func aDelegatedRoleOlderThanTheCachedCopyIsRefused() async throws {
        let repo = TestRepository()
        repo.delegated = [.init(name: "A", paths: ["*"], version: 2, targets: ["a.txt": Array("a".utf8)])]
        repo.publish()
        let folder = try temporaryFolder()
        let first = try repo.client(in: folder)
        _ = try await first.refresh()
        #expect(try await first.findTarget("a.txt") != nil)
        try FileManager.default.removeItem(atPath: folder + "/snapshot.json")
        repo.delegated[0].version = 1
        repo.versions["snapshot"] = 2
        repo.versions["timestamp"] = 2
        repo.publish()
        let second = try repo.client(in: folder)
        _ = try await second.refresh()
        await #expect(throws: TUFError.rollback(role: "A", trusted: 2, got: 1)) { try await second.findTarget("a.txt") }
    }

    @Test func pathPatternsMatchOneSegmentPerPartAsFnmatchDoes() throws {
        // Expected values from python-tuf 7.0.1's DelegatedRole.is_delegated_path.
        func role(_ paths: [String]) throws -> DelegatedRole {
            let targets = try TargetsMetadata(.object([
                "_type": .string("targets"), "spec_version": .string("1.0.31"), "version": .integer(1), "expires": .string("2099-01-01T00:00:00Z"),
                "targets": .object([:]),
                "delegations": .object([
                    "keys": .object([:]),
                    "roles": .array([.object(["name": .string("x"), "keyids": .array([]), "threshold": .integer(1), "terminating": .bool(false),
                                              "paths": .array(paths.map(JSONValue.string))])]),
                ]),
            ]))
            guard case .list(let roles)? = targets.delegations?.roles, let first = roles.first else { throw TUFError.malformed("no role") }
            return first
        }
        let r = try role(["a/*.json", "b/?x", "c/[ab]*", "d/*"])
        let expected: [String: Bool] = [
            "a/1.json": true, "a/b/1.json": false, "b/zx": true, "b/zzx": false, "c/ax": true, "c/cx": false, "d/": true, "d": false,
            "a/.json": true,
        ]
        for (path, result) in expected { #expect(r.isDelegated(path) == result, "\(path)") }
    }

    @Test func succinctBinsAreNamedAsPythonTUFNamesThem() {
        // Expected values from python-tuf 7.0.1's SuccinctRoles.get_role_for_target.
        let cases: [(bits: Int, bins: [String])] = [
            (1, ["licences-1", "licences-1", "licences-1"]), (3, ["licences-7", "licences-7", "licences-7"]),
            (4, ["licences-f", "licences-f", "licences-e"]), (8, ["licences-fd", "licences-f8", "licences-e3"]),
            (10, ["licences-3f4", "licences-3e2", "licences-38e"]), (16, ["licences-fd0a", "licences-f8b2", "licences-e3b0"]),
        ]
        for (bits, bins) in cases {
            let roles = SuccinctRoles(keyIDs: [], threshold: 1, bitLength: bits, namePrefix: "licences")
            #expect(["licences/0750654D.json", "bundles/a/1.relais", ""].map(roles.binName(for:)) == bins)
        }
        #expect(SuccinctRoles(keyIDs: [], threshold: 1, bitLength: 5, namePrefix: "b").binNames.prefix(2) == ["b-00", "b-01"])
    }

    @Test func roleNamesAreQuotedAsPythonQuotesThem() {
        #expect(TUFUpdater.quoted("?") == "%3F")
        #expect(TUFUpdater.quoted("../x") == "..%2Fx")
        #expect(TUFUpdater.quoted("licences-0a") == "licences-0a")
        #expect(TUFUpdater.quoted("é b") == "%C3%A9%20b")
    }
}
