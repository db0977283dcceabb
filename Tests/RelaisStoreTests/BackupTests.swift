import Foundation
import GRDB
import Logging
import RelaisArchive
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Synchronization
import Testing

/// Set when the writer of a test must stop.
final class StopFlag: Sendable {
    let raised = Mutex(false)
}

/// `relais backup` / `relais restore` (issue 11, « Keep data safe »).
@Suite("Backup and restore: database, secret and trust root")
struct BackupTests {
    let authority: JSONValue = ["account": ["homePage": "https://relais.invalid/0750654D", "name": "relais"]]

    static var quietLogger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    /// A box with a class, a pupil, a teacher, a séance, a setting, two bundles (one local, one
    /// from the repository) and a statement.
    struct Filled {
        let t: TestBox
        let pupil: Pupil
        let backupPath: String
        var box: Box { t.box }
    }

    func filledBox() throws -> Filled {
        let t = try TestBox()
        let classe = try t.box.addClass(name: "CM2 B")
        let pupil = try t.box.addPupil(classId: classe.id, firstName: "Léa", lastInitial: "M")
        let teacher = try t.box.addStaff(lastName: "Belkacem", firstName: "Karim", role: .enseignant)
        try t.box.assignTeacher(classId: classe.id, personId: teacher.id)
        _ = try t.box.createSeance(SeanceDraft(title: "Fractions", classId: classe.id, instructions: "Les deux activités."), teacherId: teacher.id, createdBy: teacher.id)
        try t.box.setSetting("privacy.retentionDays", to: "200")
        try t.importBundle(try t.bundle(files: ["index.html": "<p>bonjour</p>"]))
        try t.importFromRepository(try t.bundle(id: "fr.relais.test.repo", files: ["index.html": "<p>dépôt</p>"]), id: "fr.relais.test.repo")
        try t.box.storeStatements([statement(id: UUID().uuidString.lowercased())], authority: authority, credential: nil)
        let tuf = t.box.directory.tufPath
        try FileManager.default.createDirectory(atPath: tuf, withIntermediateDirectories: true)
        try Data(#"{"signed": {"_type": "root", "version": 1}}"#.utf8).write(to: URL(fileURLWithPath: tuf + "/root.json"))
        return Filled(t: t, pupil: pupil, backupPath: t.folder.appendingPathComponent("box.relais-backup").path)
    }

    func statementCount(_ box: Box) throws -> Int {
        try box.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM statement") ?? 0 }
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// Every entry of a backup, in order.
    func entries(_ path: String) throws -> [(String, [UInt8])] {
        let reader = try ArchiveReader(path: path)
        var result: [(String, [UInt8])] = []
        while let entry = try reader.nextEntry() { result.append((entry.path.value, try reader.readAll(maxBytes: 64 << 20))) }
        return result
    }

    /// Rewrites a backup, changing its entries.
    func rewrite(_ path: String, _ change: (inout [(String, [UInt8])]) throws -> Void) throws {
        var all = try entries(path)
        try change(&all)
        let writer = try ArchiveWriter(path: path, format: .tar)
        for (name, bytes) in all { try writer.addFile(name, contents: bytes) }
        try writer.finish()
    }

    func leftovers(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".restore") || $0.contains(".work") }
    }

    @Test("a box backed up while another connection writes comes back whole: pseudonyms, rows, settings; its store empty")
    func roundTrip() async throws {
        let f = try filledBox()
        let box = f.box, authority = authority
        let before = try statementCount(box)
        // A second connection writes batches of two statements (one transaction each) throughout.
        let stop = StopFlag()
        let writer = Task.detached {
            for _ in 0..<5000 where !stop.raised.withLock({ $0 }) {
                try box.storeStatements(
                    [statement(id: UUID().uuidString.lowercased()), statement(id: UUID().uuidString.lowercased())],
                    authority: authority, credential: nil)
            }
        }
        // The backup starts once the writer is under way, so the snapshot falls in the middle.
        while try statementCount(box) == before { try await Task.sleep(for: .milliseconds(1)) }
        let summary = try BoxBackup.write(box: box, to: f.backupPath)
        stop.raised.withLock { $0 = true }
        try await writer.value
        let after = try statementCount(box)
        #expect(summary.manifest.uai == "0750654D")
        #expect(summary.manifest.members.map(\.path) == ["relais.sqlite", "secret.key", "tuf/root.json"])
        #expect(summary.manifest.migrations == RelaisDatabase.migrator.migrations)
        #expect(!summary.manifest.contentIncluded)
        #expect(summary.blobsLeftOut > 0)
        #expect(try mode(f.backupPath) == 0o600)

        let target = f.t.folder.appendingPathComponent("nouvelle-box/data")
        let restoredSummary = try BoxBackup.restore(from: f.backupPath, into: DataDirectory(target.path))
        #expect(restoredSummary.movedAside == nil)
        #expect(restoredSummary.bundles == 2)
        #expect(try leftovers(in: target.deletingLastPathComponent()).isEmpty)
        let restored = try Box.open(DataDirectory(target.path), logger: Self.quietLogger)

        // Same pupil, same pseudonym upstream.
        #expect(try restored.identity().uai == "0750654D")
        let pseudonym = try box.pseudonymizer().accountName(forLocalUser: f.pupil.id)
        #expect(try restored.pseudonymizer().accountName(forLocalUser: f.pupil.id) == pseudonym)
        #expect(try mode(restored.directory.secretPath) == 0o600)
        // Same rows and settings.
        #expect(try restored.staff().map(\.login) == box.staff().map(\.login))
        #expect(try restored.classes().map(\.name) == ["CM2 B"])
        #expect(try restored.allSeances().map(\.title) == ["Fractions"])
        #expect(try restored.settings() == box.settings())
        #expect(try restored.setting("privacy.retentionDays") == "200")
        #expect(FileManager.default.fileExists(atPath: restored.directory.tufPath + "/root.json"))
        // One consistent snapshot: whole batches only, between before and after the writer.
        let count = try statementCount(restored)
        #expect(count > before && count <= after && (count - before) % 2 == 0, "\(count) statements, \(before) before, \(after) after")
        print("backup snapshot: \(count - before) of \(after - before) statements written meanwhile")
        let integrity = try restored.database.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])

        // The content store is empty; the next sync fetches repository bundles again.
        #expect(BlobStore(restored.directory).allHashes().isEmpty)
        let hashes = try restored.database.read { db in try String?.fetchAll(db, sql: "SELECT targetHash FROM bundle") }
        #expect(hashes.allSatisfy { $0 == nil })
        let doctor = try restored.doctor(deep: false, repair: false)
        #expect(doctor.problems.count == 1 && doctor.problems[0].contains("relais sync --once"), "\(doctor.problems)")
        // Re-importing a bundle brings its files back.
        _ = try restored.importer().importBundle(at: try f.t.bundle(files: ["index.html": "<p>bonjour</p>"]), origin: .local)
        _ = try restored.importer().importBundle(
            at: try f.t.bundle(id: "fr.relais.test.repo", files: ["index.html": "<p>dépôt</p>"]), origin: .repository,
            target: RepositoryTarget(path: "bundles/fr.relais.test.repo/1.0.0.relais", sha256: String(repeating: "0", count: 64), bundleID: "fr.relais.test.repo", version: "1.0.0", licenceRequired: true))
        #expect(try restored.doctor(deep: true, repair: false).problems == [])
    }

    @Test("a backup is never written over an existing file unless forced")
    func refusesToOverwrite() throws {
        let f = try filledBox()
        try Data("précieux".utf8).write(to: URL(fileURLWithPath: f.backupPath))
        #expect(throws: BackupError.fileExists(f.backupPath)) { try BoxBackup.write(box: f.box, to: f.backupPath) }
        #expect(FileManager.default.contents(atPath: f.backupPath) == Data("précieux".utf8))
        _ = try BoxBackup.write(box: f.box, to: f.backupPath, force: true)
        #expect(try entries(f.backupPath).first?.0 == BackupManifest.fileName)
    }

    @Test("a damaged member is refused and nothing is written")
    func corruptMember() throws {
        let f = try filledBox()
        _ = try BoxBackup.write(box: f.box, to: f.backupPath)
        for member in ["relais.sqlite", "secret.key"] {
            let copy = f.t.folder.appendingPathComponent("damaged-\(member)").path
            try FileManager.default.copyItem(atPath: f.backupPath, toPath: copy)
            try rewrite(copy) { all in
                let index = try #require(all.firstIndex { $0.0 == member })
                all[index].1[all[index].1.count / 2] ^= 0x01
            }
            let target = f.t.folder.appendingPathComponent("restored-\(member)")
            do {
                _ = try BoxBackup.restore(from: copy, into: DataDirectory(target.path))
                Issue.record("a damaged \(member) was restored")
            } catch let error as BackupError {
                guard case .corruptMember(let name, _) = error else { Issue.record("\(error)"); continue }
                #expect(name == member)
            }
            #expect(!FileManager.default.fileExists(atPath: target.path))
            #expect(try leftovers(in: f.t.folder).isEmpty)
        }
        // A member missing altogether.
        try rewrite(f.backupPath) { all in all.removeAll { $0.0 == "secret.key" } }
        #expect(throws: BackupError.self) { try BoxBackup.restore(from: f.backupPath, into: DataDirectory(f.t.folder.appendingPathComponent("x").path)) }
        #expect(!FileManager.default.fileExists(atPath: f.t.folder.appendingPathComponent("x").path))
    }

    @Test("a backup of another UAI is refused unless told")
    func otherUAI() throws {
        let f = try filledBox()
        _ = try BoxBackup.write(box: f.box, to: f.backupPath)
        let target = DataDirectory(f.t.folder.appendingPathComponent("autre").path)
        #expect(throws: BackupError.otherUAI(backup: "0750654D", expected: "0750655E", why: "--uai")) {
            try BoxBackup.restore(from: f.backupPath, into: target, options: .init(uai: "0750655E"))
        }
        #expect(!FileManager.default.fileExists(atPath: target.root.path))
        // A box of another UAI in the folder: refused even with --replace, unless --other-uai.
        let other = try Box.create(at: target, uai: try UAI("0750655E"), name: "Autre", logger: Self.quietLogger)
        _ = other
        #expect(throws: BackupError.self) { try BoxBackup.restore(from: f.backupPath, into: target, options: .init(replace: true)) }
        let summary = try BoxBackup.restore(from: f.backupPath, into: target, options: .init(otherUAI: true, replace: true))
        #expect(summary.manifest.uai == "0750654D")
        #expect(try Box.open(target, logger: Self.quietLogger).identity().uai == "0750654D")
    }

    @Test("a folder holding a box is refused unless --replace, which keeps the old box aside")
    func existingBox() throws {
        let f = try filledBox()
        _ = try BoxBackup.write(box: f.box, to: f.backupPath)
        let target = DataDirectory(f.t.folder.appendingPathComponent("existante").path)
        let old = try Box.create(at: target, uai: try UAI("0750654D"), name: "Ancienne", logger: Self.quietLogger)
        let oldSecret = FileManager.default.contents(atPath: old.directory.secretPath)
        #expect(throws: BackupError.targetHoldsBox(target.root.path, uai: "0750654D")) { try BoxBackup.restore(from: f.backupPath, into: target) }
        #expect(try Box.open(target, logger: Self.quietLogger).identity().name == "Ancienne")
        let summary = try BoxBackup.restore(from: f.backupPath, into: target, options: .init(replace: true))
        let aside = try #require(summary.movedAside)
        #expect(FileManager.default.contents(atPath: aside + "/secret.key") == oldSecret)
        #expect(try Box.open(DataDirectory(aside), logger: Self.quietLogger).identity().name == "Ancienne")
        #expect(try Box.open(target, logger: Self.quietLogger).identity().name == "Test")
        // A folder with other files in it is not a target either.
        let cluttered = f.t.folder.appendingPathComponent("encombre")
        try FileManager.default.createDirectory(at: cluttered, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: cluttered.appendingPathComponent("notes.txt"))
        #expect(throws: BackupError.targetNotEmpty(cluttered.path)) { try BoxBackup.restore(from: f.backupPath, into: DataDirectory(cluttered.path)) }
    }

    @Test("a backup made by a newer schema or format is refused, saying to install the newer relais")
    func newerSchema() throws {
        let f = try filledBox()
        _ = try BoxBackup.write(box: f.box, to: f.backupPath)
        try rewrite(f.backupPath) { all in
            var manifest = try JSONDecoder().decode(BackupManifest.self, from: Data(all[0].1))
            manifest.migrations.append("v99-from-the-future")
            manifest.relaisVersion = "9.0.0"
            all[0].1 = Array(try JSONEncoder().encode(manifest))
        }
        let target = DataDirectory(f.t.folder.appendingPathComponent("futur").path)
        #expect(throws: BackupError.newerSchema(["v99-from-the-future"], relaisVersion: "9.0.0")) { try BoxBackup.restore(from: f.backupPath, into: target) }
        #expect("\(BackupError.newerSchema(["v99"], relaisVersion: "9.0.0"))".contains("install relais 9.0.0"))
        #expect(!FileManager.default.fileExists(atPath: target.root.path))
        // Not a backup at all.
        let bundle = try f.t.bundle(files: ["index.html": "x"])
        #expect(throws: BackupError.self) { try BoxBackup.restore(from: bundle, into: target) }
    }
}
