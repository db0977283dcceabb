import Foundation
import RelaisCore
import RelaisHub
import RelaisRepository
import RelaisStore
import RelaisSync
import RelaisTestSupport
import Testing
import Logging

/// A hub repository in a temp folder (keys beside it) and a box that trusts its root, synced
/// from the folder as a USB import or a `repository.url` folder would be.
final class SyncFixture {
    let box: TestBox
    let folder: URL
    var repo: String { folder.appendingPathComponent("repo").path }
    var keys: String { folder.appendingPathComponent("keys").path }
    /// The hub's clock and the box's clock, moved by the tests.
    var hubNow: Int64 = 1_790_000_000  // 2026-09-21
    var boxNow: Int64 = 1_790_000_100

    init(licenceBins: Int? = nil) throws {
        box = try TestBox()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("relais-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try HubRepository.initialize(repo: repo, keys: keys, licenceBins: licenceBins, now: hubNow)
        let root = try Array(Data(contentsOf: URL(fileURLWithPath: repo + "/metadata/root.json")))
        try TUFUpdater.initialize(metadataDirectory: box.box.directory.tufPath, trustedRoot: root)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Packs a bundle and adds it to the draft.
    func add(id: String, version: String = "1.0.0", kind: String = "solution", text: String = "contenu", free: Bool = false) throws {
        let path = try box.bundle(id: id, version: version, files: ["index.html": "\(id) \(version) \(text)"], kind: kind)
        try HubRepository.add(repo: repo, files: [path], free: free)
    }

    /// Adds the licence document of the test box's UAI (0750654D).
    func addLicence(_ abonnements: [(id: String, bundle: String, debut: String, fin: String)]) throws {
        let list = abonnements.map { a in
            """
            {"idAbonnement":"\(a.id)","idRessource":"\(a.bundle)","libelleRessource":"Ressource \(a.bundle)","debutValidite":"\(a.debut)",\
            "finValidite":"\(a.fin)","typeAffectation":"ETABL","nbLicenceGlobale":"ILLIMITE","publicCible":["ELEVE","ENSEIGNANT"]}
            """
        }.joined(separator: ",")
        let path = folder.appendingPathComponent("0750654D.json").path
        try Data("{\"uai\":\"0750654D\",\"abonnements\":[\(list)]}".utf8).write(to: URL(fileURLWithPath: path))
        try HubRepository.add(repo: repo, files: [path])
    }

    func publish() throws { try HubRepository.publish(repo: repo, keys: keys, now: hubNow) }

    @discardableResult
    func sync() async throws -> SyncReport {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let now = boxNow
        return try await RepositorySync(box: box.box, logger: logger).run(from: .folder(repo), clock: { Date(timeIntervalSince1970: TimeInterval(now)) })
    }

    func catalog() throws -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: try box.box.catalog(at: boxNow).map { ($0.manifest.id, $0.licensed) })
    }
}

struct SyncTests {
    static let always = (debut: "2020-01-01T00:00:00Z", fin: "2099-12-31T23:59:59Z")

    /// With `relais repo init --licence-bins 16` and the licences of many schools, the box finds
    /// its licence through the hash-bin delegation and fetches that one bin, not the others.
    @Test func withLicenceBinsTheBoxFetchesOnlyTheBinOfItsLicence() async throws {
        let f = try SyncFixture(licenceBins: 16)
        try f.add(id: "fr.test.calcul")
        try f.addLicence([("A1", "fr.test.calcul", Self.always.debut, Self.always.fin)])
        var others: [String] = []
        for n in 0..<40 {
            let digits = "06" + String(format: "%05d", 10_000 + n)
            let uai = digits + String(UAI.checkLetter(forDigits: digits))
            let path = f.folder.appendingPathComponent("\(uai).json").path
            try Data(#"{"uai":"\#(uai)","abonnements":[]}"#.utf8).write(to: URL(fileURLWithPath: path))
            others.append(path)
        }
        try HubRepository.add(repo: f.repo, files: others)
        try f.publish()
        let metadata = try FileManager.default.contentsOfDirectory(atPath: f.repo + "/metadata")
        #expect(metadata.filter { $0.contains(".licences-") }.count == 16)

        let report = try await f.sync()
        #expect(report.licence == .updated)
        #expect(report.installed == ["fr.test.calcul 1.0.0"])
        #expect(try f.catalog() == ["fr.test.calcul": true])
        let trusted = try FileManager.default.contentsOfDirectory(atPath: f.box.box.directory.tufPath)
        let bins = trusted.filter { $0.hasPrefix("licences-") && $0.hasSuffix(".json") }
        let ownBin = SuccinctRoles(keyIDs: [], threshold: 1, bitLength: 4, namePrefix: "licences").binName(for: "licences/0750654D.json")
        #expect(bins == ["\(ownBin).json"])
        #expect(report.delegatedRolesFetched == [ownBin])

        // Another school's licence changes: the box's own bin is unchanged, nothing is re-fetched.
        let other = try #require(others.first { path in
            let uai = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return SuccinctRoles(keyIDs: [], threshold: 1, bitLength: 4, namePrefix: "licences").binName(for: "licences/\(uai).json") != ownBin
        })
        try HubRepository.remove(repo: f.repo, targetPaths: ["licences/\(((other as NSString).lastPathComponent as NSString).deletingPathExtension).json"])
        f.hubNow += 60
        f.boxNow += 120
        try f.publish()
        let second = try await f.sync()
        #expect(second.licence == .unchanged)
        #expect(second.delegatedRolesFetched.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.box.box.directory.tufPath).filter { $0.hasPrefix("licences-") && $0.hasSuffix(".json") } == bins)
    }

    @Test func syncInstallsLicensedAndFreeBundlesOnly() async throws {
        let f = try SyncFixture()
        try f.add(id: "fr.test.calcul")
        try f.add(id: "fr.test.lecture")
        try f.add(id: "fr.test.formation", kind: "training")
        try f.add(id: "fr.test.libre", free: true)
        try f.addLicence([("A1", "fr.test.calcul", Self.always.debut, Self.always.fin)])
        try f.publish()
        let report = try await f.sync()
        #expect(report.installed.sorted() == ["fr.test.calcul 1.0.0", "fr.test.formation 1.0.0", "fr.test.libre 1.0.0"])
        #expect(report.notLicensed == ["fr.test.lecture"])
        #expect(report.licence == .updated)
        #expect(try f.catalog() == ["fr.test.calcul": true, "fr.test.formation": true, "fr.test.libre": true])
        #expect(try f.box.served("fr.test.calcul", "1.0.0", "index.html") == "fr.test.calcul 1.0.0 contenu")
    }

    @Test func aSecondSyncWithNoChangeDownloadsNothing() async throws {
        let f = try SyncFixture()
        try f.add(id: "fr.test.formation", kind: "training")
        try f.publish()
        try await f.sync()
        let again = try await f.sync()
        #expect(!again.metadataChanged)
        #expect(again.installed.isEmpty && again.downloadedBytes == 0)
        #expect(try f.box.box.syncState().lastError == nil)
    }

    @Test func aNewVersionReplacesTheOldAndARemovedBundleIsUnlistedThenCollected() async throws {
        let f = try SyncFixture()
        try f.add(id: "fr.test.a", kind: "training")
        try f.add(id: "fr.test.b", kind: "training")
        try f.publish()
        try await f.sync()

        try f.add(id: "fr.test.a", version: "1.1.0", kind: "training")
        try HubRepository.remove(repo: f.repo, targetPaths: ["bundles/fr.test.b/1.0.0.relais"])
        f.hubNow += 60
        try f.publish()
        f.boxNow += 120
        let report = try await f.sync()
        #expect(report.installed == ["fr.test.a 1.1.0"])
        #expect(report.unlisted == ["fr.test.b"])
        // Unlisted: no longer in the catalogue nor served, but its files stay for one sync.
        #expect(try f.catalog() == ["fr.test.a": true])
        #expect(try f.box.box.storedFiles().contains { $0.bundleID == "fr.test.b" } == false)
        #expect(try f.box.box.repositoryBundles().map(\.id) == ["fr.test.a", "fr.test.b"])

        f.boxNow += 120
        let next = try await f.sync()
        #expect(next.collected == ["fr.test.b"])
        #expect(try f.box.box.repositoryBundles().map(\.id) == ["fr.test.a"])
    }

    @Test func aBundleWhoseLicenceEndedIsUnlistedAndComesBackWhenRenewed() async throws {
        let f = try SyncFixture()
        try f.add(id: "fr.test.calcul")
        try f.addLicence([("A1", "fr.test.calcul", "2020-01-01T00:00:00Z", "2026-10-01T00:00:00Z")])
        try f.publish()
        try await f.sync()
        #expect(try f.catalog() == ["fr.test.calcul": true])

        // The abonnement ends on 2026-10-01; two weeks later the hub republishes as it does
        // every week, and the sync stops serving the bundle.
        f.hubNow = 1_791_500_000
        f.boxNow = 1_791_500_100
        try f.publish()
        let report = try await f.sync()
        #expect(report.unlisted == ["fr.test.calcul"])

        // Renewed before the next sync collected it: relisted without a download.
        try f.addLicence([("A2", "fr.test.calcul", "2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z")])
        f.hubNow += 60
        try f.publish()
        let renewed = try await f.sync()
        #expect(renewed.relisted == ["fr.test.calcul"])
        #expect(renewed.downloadedBytes == 0)
        #expect(try f.catalog() == ["fr.test.calcul": true])
    }

    @Test func aTamperedBundleIsRefusedAndTheOthersStillSync() async throws {
        let f = try SyncFixture()
        try f.add(id: "fr.test.a", kind: "training")
        try f.add(id: "fr.test.b", kind: "training")
        try f.publish()
        // Corrupt b's file in targets/ after signing (same length).
        let targets = URL(fileURLWithPath: f.repo + "/targets/bundles/fr.test.b")
        let file = try #require(FileManager.default.contentsOfDirectory(atPath: targets.path).first)
        var bytes = try Data(contentsOf: targets.appendingPathComponent(file))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: targets.appendingPathComponent(file))

        await #expect(throws: SyncError.self) { try await f.sync() }
        #expect(try f.catalog() == ["fr.test.a": true])
        #expect(try f.box.box.syncState().lastError?.contains("fr.test.b") == true)
        // Nothing of the refused download stays behind.
        let partial = try FileManager.default.contentsOfDirectory(atPath: f.box.box.directory.partialDownloadsPath)
        #expect(partial.isEmpty)
    }

    @Test func expiredMetadataIsRefusedAndTheBoxKeepsWhatItHad() async throws {
        let f = try SyncFixture()
        try f.add(id: "fr.test.a", kind: "training")
        try f.publish()
        try await f.sync()
        // Eight days later the hub has not published: timestamp.json (7 days) has expired.
        f.boxNow += 8 * 86_400
        await #expect(throws: (any Error).self) { try await f.sync() }
        #expect(try f.catalog() == ["fr.test.a": true])
        #expect(try f.box.box.syncState().lastError?.contains("timestamp") == true)
    }

    @Test func aClockGoneBackwardsIsNotTrustedAndIsReported() async throws {
        let f = try SyncFixture()
        try f.add(id: "fr.test.a", kind: "training")
        try f.publish()
        try await f.sync()
        let verified = f.boxNow
        #expect(try f.box.box.syncState().trustedTime == verified)
        // The RTC battery died: the clock says 1970. The box keeps using the verified time.
        let now = try f.box.box.trustedNow(clock: Date(timeIntervalSince1970: 0))
        #expect(now == verified)
        #expect(try f.box.box.status(clock: Date(timeIntervalSince1970: 0)).sync.clockBehindBy == verified)
        // Fixed clock: the warning goes away.
        #expect(try f.box.box.status(clock: Date(timeIntervalSince1970: TimeInterval(verified + 10))).sync.clockBehindBy == nil)
    }

    @Test func aBoxThatTrustsNoRootIsToldHowToFixIt() async throws {
        let t = try TestBox()
        await #expect(throws: SyncError.noTrustedRoot(t.box.directory.tufPath)) {
            try await RepositorySync(box: t.box, logger: Logger(label: "test")).run(from: .folder("/nonexistent"))
        }
    }
}
