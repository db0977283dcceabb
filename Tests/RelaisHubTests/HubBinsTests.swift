import Foundation
import RelaisCore
import RelaisHub
import RelaisRepository
import Testing

/// `relais repo init --licence-bins N`: licence targets in succinct hash bins.
struct HubBinsTests {
    /// UAIs with a valid check letter: 07500NN + letter.
    static func uais(_ count: Int) -> [String] {
        (0..<count).map { n in
            let digits = "07" + String(format: "%05d", 50_000 + n)
            return digits + String(UAI.checkLetter(forDigits: digits))
        }
    }

    func binsRepository(bins: Int = 8, licences: Int = 12) throws -> (HubFixture, [String]) {
        let hub = try HubFixture()
        try HubRepository.initialize(repo: hub.repo, keys: hub.keys, licenceBins: bins, now: hub.now)
        let uais = Self.uais(licences)
        try HubRepository.add(repo: hub.repo, files: [try hub.bundle()] + uais.map { try hub.licence(uai: $0) })
        return (hub, uais)
    }

    func binFiles(_ hub: HubFixture) -> [String] {
        hub.files(under: "metadata").filter { $0.contains(".licences-") }
    }

    @Test func refusesABinCountThatIsNotAPowerOfTwo() throws {
        for count in [0, 1, 3, 100, 131_072] {
            let hub = try HubFixture()
            #expect(throws: HubError.self) { try HubRepository.initialize(repo: hub.repo, keys: hub.keys, licenceBins: count, now: hub.now) }
        }
    }

    @Test func licencesGoToTheirBinsAndTargetsDelegatesToThem() throws {
        let (hub, uais) = try binsRepository()
        let summary = try hub.publish()
        #expect(summary.targetCount == 13)
        #expect(summary.binsWritten.count == 8)
        #expect(binFiles(hub) == (0..<8).map { "1.licences-\($0).json" })
        let targets = try TargetsMetadata(try hub.metadata("1.targets.json").signed)
        #expect(targets.targets.keys.sorted() == ["bundles/fr.relais.test.demo/1.0.0.relais"])
        guard case .succinct(let bins)? = targets.delegations?.roles else {
            Issue.record("targets.json does not delegate to succinct bins")
            return
        }
        #expect(bins.bitLength == 3 && bins.namePrefix == "licences")
        let keyFiles = try FileManager.default.contentsOfDirectory(atPath: hub.keys).filter { $0.hasPrefix("bins-") }
        #expect(keyFiles.count == 1)
        let snapshot = try SnapshotMetadata(try hub.metadata("1.snapshot.json").signed)
        #expect(snapshot.meta.count == 9)
        var listed: [String] = []
        for number in 0..<8 {
            let name = bins.binName(number: number)
            let bin = try TargetsMetadata(try hub.metadata("1.\(name).json").signed)
            for path in bin.targets.keys {
                #expect(bins.binName(for: path) == name)
                listed.append(path)
            }
        }
        #expect(listed.sorted() == uais.map { "licences/\($0).json" }.sorted())
    }

    @Test func aPublishReSignsOnlyTheChangedBin() throws {
        let (hub, _) = try binsRepository()
        try hub.publish()
        let extra = Self.uais(13).last!
        try HubRepository.add(repo: hub.repo, files: [try hub.licence(uai: extra)])
        let summary = try hub.publish(at: hub.now + 3_600)
        let bin = SuccinctRoles(keyIDs: [], threshold: 1, bitLength: 3, namePrefix: "licences").binName(for: "licences/\(extra).json")
        #expect(summary.binsWritten == [bin])
        #expect(binFiles(hub).filter { $0.hasPrefix("2.") } == ["2.\(bin).json"])
        let snapshot = try SnapshotMetadata(try hub.metadata("2.snapshot.json").signed)
        for (file, meta) in snapshot.meta where file != "targets.json" { #expect(meta.version == (file == "\(bin).json" ? 2 : 1)) }
        // Nothing changed: no bin re-signed, until they come close to expiry.
        #expect(try hub.publish(at: hub.now + 7_200).binsWritten.isEmpty)
        #expect(try hub.publish(at: hub.now + 70 * 86_400).binsWritten.count == 8)
    }

    @Test func publishingWithoutTheBinsKeyIsRefusedNamingIt() throws {
        let (hub, _) = try binsRepository()
        for name in try FileManager.default.contentsOfDirectory(atPath: hub.keys) where name.hasPrefix("bins-") {
            try FileManager.default.removeItem(atPath: hub.keys + "/" + name)
        }
        #expect(throws: HubError.missingKeys(role: "bins", found: 0, needed: 1, keys: hub.keys)) { try hub.publish() }
        #expect(!FileManager.default.fileExists(atPath: hub.repo + "/metadata/timestamp.json"))
    }

    /// A repository made without bins moves its licences into bins from the next publish: the
    /// new targets.json lists no licence and delegates them, every licence is still found (the
    /// box's own client, from the first root), and a second `bins` is refused.
    @Test func anExistingRepositoryMovesItsLicencesIntoBins() async throws {
        let hub = try HubFixture()
        try hub.initialize()
        let uais = Self.uais(6)
        try HubRepository.add(repo: hub.repo, files: [try hub.bundle()] + uais.map { try hub.licence(uai: $0) })
        try hub.publish()
        #expect(try TargetsMetadata(try hub.metadata("1.targets.json").signed).targets.count == 7)
        try HubRepository.enableLicenceBins(repo: hub.repo, keys: hub.keys, count: 4)
        let summary = try hub.publish(at: hub.now + 60)
        #expect(summary.binsWritten.count == 4)
        let targets = try TargetsMetadata(try hub.metadata("2.targets.json").signed)
        #expect(targets.targets.keys.sorted() == ["bundles/fr.relais.test.demo/1.0.0.relais"])
        let report = try await HubRepository.verify(repo: hub.repo, trustedRoot: hub.repo + "/metadata/1.root.json", now: hub.now + 120)
        #expect(report.targets.filter { $0.hasPrefix("licences/") } == uais.map { "licences/\($0).json" }.sorted())
        #expect { try HubRepository.enableLicenceBins(repo: hub.repo, keys: hub.keys, count: 8) } throws: { error in
            "\(error)".contains("already publishes its licences in 4 hash bins")
        }
    }

    @Test func verifyChecksEveryTargetThroughTheBins() async throws {
        let (hub, uais) = try binsRepository()
        try hub.publish()
        let report = try await HubRepository.verify(repo: hub.repo, trustedRoot: hub.repo + "/metadata/1.root.json", now: hub.now + 60)
        #expect(report.targets.count == 13)
        #expect(report.targets.filter { $0.hasPrefix("licences/") } == uais.map { "licences/\($0).json" }.sorted())
        #expect(!report.unpublishedChanges)
        try HubRepository.remove(repo: hub.repo, targetPaths: ["licences/\(uais[0]).json"])
        #expect(try await HubRepository.verify(repo: hub.repo, trustedRoot: hub.repo + "/metadata/1.root.json", now: hub.now + 60).unpublishedChanges)
        // A tampered licence in a bin fails the verification.
        let file = try #require(hub.files(under: "targets/licences").first)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: hub.repo + "/targets/licences/" + file))
        try handle.seek(toOffset: 2)
        try handle.write(contentsOf: Data("X".utf8))
        try handle.close()
        await #expect(throws: HubError.self) {
            try await HubRepository.verify(repo: hub.repo, trustedRoot: hub.repo + "/metadata/1.root.json", now: hub.now + 60)
        }
    }
}
