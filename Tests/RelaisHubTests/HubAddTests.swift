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

    /// `add` writes its copies unflushed and flushes them once: a crash before that flush can
    /// leave a short file under the consistent name. Publishing refuses it, saying to add again,
    /// and adding the same file again must then replace it (not keep it because the name exists).
    @Test func aCopyACrashLeftShortIsReplacedByTheNextAdd() throws {
        let hub = try HubFixture()
        try hub.initialize()
        let licence = try hub.licence()
        let added = try HubRepository.add(repo: hub.repo, files: [licence])
        let copy = hub.repo + "/targets/licences/\(added[0].sha256).0750654D.json"
        #expect(try hub.bytes("targets/licences/\(added[0].sha256).0750654D.json") == Array(try Data(contentsOf: URL(fileURLWithPath: licence))))
        try Data().write(to: URL(fileURLWithPath: copy))
        #expect { try hub.publish() } throws: { error in
            "\(error)".contains("run `relais repo add` again for licences/0750654D.json")
        }
        try HubRepository.add(repo: hub.repo, files: [licence])
        try hub.publish()
        #expect(try hub.bytes("targets/licences/\(added[0].sha256).0750654D.json") == Array(try Data(contentsOf: URL(fileURLWithPath: licence))))
    }

    /// Thousands of licence documents are added by giving their folder: its `.json` and
    /// `.relais` files are added, anything else in it is left alone; a folder with none is refused.
    @Test func aFolderAddsTheLicencesAndBundlesInsideIt() throws {
        let hub = try HubFixture()
        try hub.initialize()
        let folder = hub.folder + "/export-gar"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for uai in ["0750654D", "0189990L"] {
            try FileManager.default.moveItem(atPath: try hub.licence(uai: uai), toPath: folder + "/\(uai).json")
        }
        try FileManager.default.moveItem(atPath: try hub.bundle(), toPath: folder + "/demo.relais")
        try Data("notes".utf8).write(to: URL(fileURLWithPath: folder + "/LISEZMOI.txt"))
        let added = try HubRepository.add(repo: hub.repo, files: [folder])
        #expect(added.map(\.path) == ["licences/0189990L.json", "licences/0750654D.json", "bundles/fr.relais.test.demo/1.0.0.relais"])
        let empty = hub.folder + "/vide"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: empty + "/LISEZMOI.txt"))
        #expect(throws: HubError.emptyFolder(empty)) { try HubRepository.add(repo: hub.repo, files: [empty]) }
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
