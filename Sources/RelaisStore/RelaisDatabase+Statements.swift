import GRDB

extension RelaisDatabase {
    /// Migrations of the local LRS (issue 4): statements, state and agent profile documents, and
    /// the Basic credentials of its clients.
    static func registerStatementMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-statements") { db in
            // One row per statement, written once by one INSERT (the outbox trigger relies on it);
            // `voided` is the only column that changes later. `body` is the statement exactly as
            // GET returns it (id, stored, timestamp, authority, version set), so reads copy bytes.
            try db.create(table: "statement") { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("id", .text).notNull().unique()
                t.column("body", .blob).notNull()
                t.column("storedAt", .integer).notNull()  // ms since 1970
                t.column("verbId", .text).notNull()
                t.column("activityId", .text)  // object.id when the object is an Activity
                t.column("registration", .text)
                t.column("actorKey", .text)  // AgentIdentity.key of the actor
                t.column("objectAgentKey", .text)  // … of the object when it is an Agent or Group
                t.column("voids", .text)  // the target id of a voiding statement
                t.column("voided", .boolean).notNull().defaults(to: false)
                t.column("credential", .text)  // the key of the credential that wrote it; NULL: the box itself
            }
            try db.create(index: "statementByActor", on: "statement", columns: ["actorKey", "seq"])
            try db.create(index: "statementByObjectAgent", on: "statement", columns: ["objectAgentKey", "seq"])
            try db.create(index: "statementByVerb", on: "statement", columns: ["verbId", "seq"])
            try db.create(index: "statementByActivity", on: "statement", columns: ["activityId", "seq"])
            try db.create(index: "statementByRegistration", on: "statement", columns: ["registration", "seq"])
            try db.create(index: "statementByCredential", on: "statement", columns: ["credential", "seq"])
            try db.create(index: "statementByVoids", on: "statement", columns: ["voids"])

            // State documents (cmi5's LMS.LaunchData, SCORM suspend data); registration '' when none.
            try db.create(table: "stateDocument") { t in
                t.column("activityId", .text).notNull()
                t.column("agentKey", .text).notNull()
                t.column("registration", .text).notNull()
                t.column("stateId", .text).notNull()
                t.column("body", .blob).notNull()
                t.column("contentType", .text).notNull()
                t.column("etag", .text).notNull()
                t.column("updatedAt", .integer).notNull()  // ms
                t.primaryKey(["activityId", "agentKey", "registration", "stateId"])
            }
            try db.create(table: "agentProfile") { t in
                t.column("agentKey", .text).notNull()
                t.column("profileId", .text).notNull()
                t.column("body", .blob).notNull()
                t.column("contentType", .text).notNull()
                t.column("etag", .text).notNull()
                t.column("updatedAt", .integer).notNull()
                t.primaryKey(["agentKey", "profileId"])
            }

            // Basic credentials of LRS clients: activity providers on the LAN (`relais credentials
            // add`) and per-launch ones scoped to one actor and registration. Only a hash of the
            // secret is kept.
            try db.create(table: "credential") { t in
                t.column("key", .text).primaryKey()
                t.column("secretHash", .blob).notNull()
                t.column("kind", .text).notNull().check { ["provider", "launch"].contains($0) }
                t.column("name", .text)
                t.column("actor", .blob)  // launch: the actor (JSON)
                t.column("registration", .text)  // launch: the registration
                t.column("expiresAt", .integer)  // ms; NULL: never
                t.column("createdAt", .integer).notNull()  // ms
            }
        }
    }
}
