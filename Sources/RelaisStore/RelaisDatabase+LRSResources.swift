import Foundation
import GRDB
import RelaisCore
import RelaisXAPI

extension RelaisDatabase {
    /// Migrations completing the local LRS (issue 8): activity profiles, the canonical Activity
    /// definitions, what each statement relates to (`related_activities` / `related_agents`),
    /// and the attachment bytes sent with statements.
    static func registerLRSResourceMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-lrs-resources") { db in
            try db.create(table: "activityProfile") { t in
                t.column("activityId", .text).notNull()
                t.column("profileId", .text).notNull()
                t.column("body", .blob).notNull()
                t.column("contentType", .text).notNull()
                t.column("etag", .text).notNull()
                t.column("updatedAt", .integer).notNull()  // ms
                t.primaryKey(["activityId", "profileId"])
            }
            // The definition of each Activity as statements gave it, merged in stored order
            // (ActivityDefinition.merge); `GET /xapi/activities` and format=canonical read it.
            try db.create(table: "activity") { t in
                t.column("id", .text).primaryKey()
                t.column("definition", .blob).notNull()
                t.column("updatedAt", .integer).notNull()
            }
            // The Activity ids and agent keys a statement names beyond its own indexed columns
            // (StatementRow.relations). Statements are never deleted, so no index on seq.
            try db.execute(sql: """
                CREATE TABLE statementRelation (
                    kind TEXT NOT NULL CHECK (kind IN ('activity', 'agent')),
                    key TEXT NOT NULL,
                    seq INTEGER NOT NULL REFERENCES statement(seq),
                    PRIMARY KEY (kind, key, seq)
                ) WITHOUT ROWID;
                """)
            // Attachment bytes sent in multipart/mixed, by sha2 (shared by statements naming the
            // same bytes). They stay on the box: the upstream push sends statements only.
            try db.create(table: "attachment") { t in
                t.column("sha2", .text).primaryKey()
                t.column("contentType", .text).notNull()
                t.column("length", .integer).notNull()
                t.column("content", .blob).notNull()
            }
            // Statements stored before this migration get their relations and definitions.
            let rows = try Row.fetchCursor(db, sql: "SELECT seq, body, storedAt FROM statement ORDER BY seq")
            var definitions: [String: JSONValue] = [:]
            while let row = try rows.next() {
                guard let statement = try? JSONValue(parsing: row["body"] as Data) else { continue }
                let seq: Int64 = row["seq"]
                for (kind, key) in StatementRow.relations(of: statement) {
                    try db.execute(sql: "INSERT OR IGNORE INTO statementRelation (kind, key, seq) VALUES (?, ?, ?)", arguments: [kind, key, seq])
                }
                for (id, definition) in StatementRelations.definitions(in: statement) {
                    definitions[id] = ActivityDefinition.merge(definitions[id], definition)
                }
            }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            for (id, definition) in definitions {
                try db.execute(
                    sql: "INSERT INTO activity (id, definition, updatedAt) VALUES (?, ?, ?)", arguments: [id, Data(definition.serialized()), now])
            }
        }
    }
}
