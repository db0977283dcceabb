import Foundation
import GRDB
import Logging
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

/// Upgrades and downgrades of a data folder: a newer binary migrates the database forward in
/// place; an older binary refuses a database a newer one wrote, and leaves it untouched.
struct UpgradeTests {
    /// The last migration of the previous release (issue 9), before content structure and séances.
    static let previousRelease = "v8-people"

    let authority: JSONValue = ["account": ["homePage": "https://relais.invalid/0750654D", "name": "relais"]]

    static func quietLogger() -> Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    /// Rewrites the database of `directory` as the previous release left it: a database migrated
    /// up to `previousRelease` only, holding the rows of every table and column that existed
    /// then (copied from the current one). Tables and columns added later are simply absent, so
    /// this holds whatever migrations come next.
    static func rewriteAsPreviousRelease(_ directory: DataDirectory) throws {
        let old = directory.root.appendingPathComponent("previous.sqlite").path
        let queue = try DatabaseQueue(path: old)
        try RelaisDatabase.migrator.migrate(queue, upTo: previousRelease)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "ATTACH DATABASE ? AS current", arguments: [directory.databasePath])
            try db.inTransaction {
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
                for table in tables {
                    let columns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?, 'main')", arguments: [table])
                        .map { "\"\(($0["name"] as String))\"" }.joined(separator: ", ")
                    try db.execute(sql: "DELETE FROM main.\"\(table)\"")
                    try db.execute(sql: "INSERT INTO main.\"\(table)\" (\(columns)) SELECT \(columns) FROM current.\"\(table)\"")
                }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE current")
        }
        try queue.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: directory.databasePath + suffix) }
        try FileManager.default.moveItem(atPath: old, toPath: directory.databasePath)
    }

    static func appliedMigrations(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }

    @Test func aDataFolderOfThePreviousReleaseIsMigratedInPlaceAndEverythingStillReads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("relais-upgrade-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = DataDirectory(folder.appendingPathComponent("data").path)
        let packer = try TestBox()  // only packs the bundle archive
        let archive = try packer.bundle(id: "fr.test.calcul", version: "1.2.0", files: ["index.html": "calcul mental", "css/a.css": "p{}"])
        var statementIDs: [String] = []
        let pupilID: String, classID: String, staffID: String
        do {
            let box = try Box.create(at: directory, uai: try UAI("0750654D"), name: "École du Parc", logger: Self.quietLogger())
            _ = try box.importer().importBundle(at: archive, origin: .local)
            let schoolClass = try box.addClass(name: "CM1 A")
            classID = schoolClass.id
            pupilID = try box.addPupil(classId: schoolClass.id, firstName: "Léa", lastInitial: "M").id
            let teacher = try box.addStaff(lastName: "Durand", firstName: "Anne", role: .enseignant)
            staffID = teacher.id
            let learner = try box.staffLearner(personId: teacher.id)
            try box.recordLaunch(LaunchRecord(registration: "r-1", bundleId: "fr.test.calcul", version: "1.2.0", learnerId: learner.id, createdAt: 1, standard: "html5"))
            statementIDs = try box.storeStatements(
                [["actor": ["mbox": "mailto:lea@example.fr"], "verb": ["id": "http://adlnet.gov/expapi/verbs/completed"],
                  "object": ["id": "https://relais.invalid/a/1"]]],
                authority: authority, credential: nil)
        }
        try Self.rewriteAsPreviousRelease(directory)
        #expect(try Self.appliedMigrations(directory.databasePath).last == Self.previousRelease)

        // The current binary opens it: migrated forward in place, and everything is still there.
        let box = try Box.open(directory, logger: Self.quietLogger())
        #expect(try Self.appliedMigrations(directory.databasePath) == RelaisDatabase.migrator.migrations)
        #expect(try box.identity().uai == "0750654D")
        #expect(try box.identity().name == "École du Parc")
        let entries = try box.catalog(at: Int64(Date().timeIntervalSince1970))
        #expect(entries.map(\.manifest.id) == ["fr.test.calcul"])
        let files = try box.storedFiles().filter { $0.bundleID == "fr.test.calcul" }
        #expect(Set(files.map(\.path.value)) == ["index.html", "css/a.css"])
        let index = try #require(files.first { $0.path.value == "index.html" })
        #expect(try String(contentsOfFile: box.blobPath(index.hash), encoding: .utf8) == "calcul mental")
        #expect(try box.pupil(id: pupilID)?.firstName == "Léa")
        #expect(try box.pupils(inClass: classID).count == 1)
        #expect(try box.person(id: staffID)?.lastName == "Durand")
        #expect(try box.statements(matching: .init(), scope: nil).statements.count == 1)
        #expect(try box.statement(id: statementIDs[0], voided: false) != nil)
        let launch = try #require(try box.launches(registration: "r-1").first)
        #expect(launch.itemId == nil)  // written before content structure: the package's first entry
        // And the upgraded box takes new writes of the new schema.
        try box.recordLaunch(LaunchRecord(
            registration: "r-2", bundleId: "fr.test.calcul", version: "1.2.0", learnerId: launch.learnerId, createdAt: 2, standard: "html5",
            itemId: "fr.test.calcul"))
        #expect(try box.launches(registration: "r-2").first?.itemId == "fr.test.calcul")
    }

    @Test func anOlderBinaryRefusesADatabaseANewerOneWroteAndLeavesItUntouched() throws {
        let t = try TestBox()
        let directory = t.box.directory
        try t.box.database.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        let before = try Self.appliedMigrations(directory.databasePath)
        do {
            _ = try Box.open(directory, logger: Self.quietLogger())
            Issue.record("a database with an unknown migration was opened")
        } catch let error as StoreError {
            let message = error.description
            #expect(message.contains("v99-from-the-future"))
            #expect(message.contains("newer Relais"))
            #expect(message.contains("restore a backup made by this version"))
            #expect(!message.contains("\n"))
        }
        #expect(try Self.appliedMigrations(directory.databasePath) == before)
    }
}
