import Foundation
import RelaisCore
import RelaisHub
import RelaisRepository
import Testing

/// `relais repo add` / `remove`: what is refused, and that a refusal leaves nothing behind.
struct HubAddTests {
    @Test func aBadLicenceRefusesTheWholeAddLeavingNoFile() throws {
        let hub = try HubFixture()
        try hub.initialize()
        let bad = try hub.licence(seats: #""nbLicenceEleve": 12.5"#)
        #expect {
            try HubRepository.add(repo: hub.repo, files: [try hub.bundle(), bad])
        } throws: { error in
            "\(error)".contains("abonnement A-1: nbLicenceEleve")
        }
        #expect(hub.files(under: "targets").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: hub.repo + "/.relais-hub/tmp"))
        #expect(try hub.draft() == .object(["targets": .object([:])]))
    }

    @Test func aLicenceNamedForAnotherUAIIsRefused() throws {
        let hub = try HubFixture()
        try hub.initialize()
        let file = try hub.licence(uai: "0750654D")
        let renamed = hub.folder + "/0189990L.json"
        try FileManager.default.moveItem(atPath: file, toPath: renamed)
        #expect(throws: HubError.self) { try HubRepository.add(repo: hub.repo, files: [renamed]) }
        #expect(hub.files(under: "targets").isEmpty)
    }

    @Test func aBrokenBundleIsRefusedWithItsReason() throws {
        let hub = try HubFixture()
        try hub.initialize()
        let garbage = hub.folder + "/garbage.relais"
        try Data("not an archive".utf8).write(to: URL(fileURLWithPath: garbage))
        #expect { try HubRepository.add(repo: hub.repo, files: [garbage]) } throws: { error in
            guard case .invalidBundle(let path, _) = error as? HubError else { return false }
            return path == garbage
        }
        #expect(throws: HubError.unknownFileType(hub.folder + "/notes.txt")) {
            try HubRepository.add(repo: hub.repo, files: [hub.folder + "/notes.txt"])
        }
        #expect(hub.files(under: "targets").isEmpty)
        #expect(hub.files(under: ".relais-hub").sorted() == ["README.txt", "draft.json", "lock"])
    }

    @Test func licenceRequiredFollowsKindAndFree() throws {
        let hub = try HubFixture()
        try hub.initialize()
        let solution = try hub.bundle(id: "fr.relais.test.solution")
        let training = try hub.bundle(id: "fr.relais.test.training", kind: .training)
        let free = try hub.bundle(id: "fr.relais.test.libre")
        try HubRepository.add(repo: hub.repo, files: [solution, training])
        let added = try HubRepository.add(repo: hub.repo, files: [free], free: true)
        #expect(added.first?.kind == .bundle(id: "fr.relais.test.libre", version: "1.0.0", licenceRequired: false))
        try hub.publish()
        let targets = try TargetsMetadata(try hub.metadata("1.targets.json").signed).targets
        #expect(targets["bundles/fr.relais.test.solution/1.0.0.relais"]?.custom?["licenceRequired"] == .bool(true))
        #expect(targets["bundles/fr.relais.test.training/1.0.0.relais"]?.custom?["licenceRequired"] == .bool(false))
        #expect(targets["bundles/fr.relais.test.libre/1.0.0.relais"]?.custom?["licenceRequired"] == .bool(false))
        #expect(targets["bundles/fr.relais.test.training/1.0.0.relais"]?.custom?["kind"] == .string("training"))
    }

    @Test func addingTheSamePathReplacesItsEntry() throws {
        let hub = try HubFixture()
        try hub.initialize()
        let first = try HubRepository.add(repo: hub.repo, files: [try hub.licence()])
        let second = try HubRepository.add(repo: hub.repo, files: [try hub.licence(seats: #""nbLicenceGlobale": 40"#)])
        #expect(first.first?.replaced == false)
        #expect(second.first?.replaced == true)
        #expect(first.first?.sha256 != second.first?.sha256)
        try hub.publish()
        let targets = try TargetsMetadata(try hub.metadata("1.targets.json").signed).targets
        #expect(targets.count == 1)
        #expect(targets["licences/0750654D.json"]?.hashes["sha256"] == second.first?.sha256)
    }

    @Test func removeTakesATargetOutOfTheNextPublish() throws {
        let hub = try HubFixture()
        try hub.initialize()
        try HubRepository.add(repo: hub.repo, files: [try hub.bundle(), try hub.bundle(version: "1.1.0")])
        try hub.publish()
        try HubRepository.remove(repo: hub.repo, targetPaths: ["bundles/fr.relais.test.demo/1.0.0.relais"])
        #expect(throws: HubError.unknownTarget("bundles/fr.relais.test.demo/9.9.9.relais")) {
            try HubRepository.remove(repo: hub.repo, targetPaths: ["bundles/fr.relais.test.demo/9.9.9.relais"])
        }
        try hub.publish(at: hub.now + 1)
        let targets = try TargetsMetadata(try hub.metadata("2.targets.json").signed).targets
        #expect(Array(targets.keys) == ["bundles/fr.relais.test.demo/1.1.0.relais"])
    }
}
