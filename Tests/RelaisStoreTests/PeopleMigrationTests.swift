import Foundation
import GRDB
@testable import RelaisStore
import Testing

/// v8-people rebuilds `learner` (its CHECK gains 'pupil' and 'staff'): a box of issue 8, with
/// guests who launched and left SCORM data, keeps all of it.
struct PeopleMigrationTests {
    @Test func guestsLaunchesAndScormAttemptsSurviveTheLearnerRebuild() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("relais-migration-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try RelaisDatabase.migrator.migrate(queue, upTo: "v6-lrs-resources")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO learner (id, firstName, kind, createdAt) VALUES ('g1', 'Léa', 'guest', 1);
                INSERT INTO launch (id, registration, bundleId, version, learnerId, createdAt, standard) VALUES ('l1', 'r1', 'b', '1', 'g1', 2, 'scorm12');
                INSERT INTO scormAttempt (registration, learnerId, bundleId, version, standard, cmi, updatedAt) VALUES ('r1', 'g1', 'b', '1', 'scorm12', '{}', 3);
                """)
        }
        try RelaisDatabase.migrator.migrate(queue)
        try queue.read { db in
            #expect(try String.fetchAll(db, sql: "SELECT firstName FROM learner") == ["Léa"])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM launch JOIN learner ON learner.id = launch.learnerId") == 1)
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            // launch and scormAttempt still reference the rebuilt table.
            let targets = try String.fetchAll(db, sql: "SELECT \"table\" FROM pragma_foreign_key_list('launch') UNION ALL SELECT \"table\" FROM pragma_foreign_key_list('scormAttempt')")
            #expect(targets == ["learner", "learner"])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = 'learnerByFirstName'") == 1)
        }
        try queue.write { db in
            try db.execute(sql: "INSERT INTO learner (id, firstName, kind, createdAt) VALUES ('p1', 'Noé', 'pupil', 4)")
            #expect(throws: DatabaseError.self) { try db.execute(sql: "DELETE FROM learner WHERE id = 'g1'") }
        }
    }
}
