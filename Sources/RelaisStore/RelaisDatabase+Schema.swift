import GRDB
import RelaisCore

extension RelaisDatabase {
    /// Refuses a database that a newer Relais migrated: it holds migrations this binary does not
    /// know, whose tables and columns this code would misread or break. Nothing is written.
    /// Called before `migrate`, so an older binary (a downgrade) leaves the data folder as it was.
    static func refuseNewerSchema(_ reader: some DatabaseReader) throws {
        let applied = try reader.read { db -> [String] in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        let known = Set(migrator.migrations)
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw StoreError.newerSchema(unknown: unknown.sorted(), known: migrator.migrations.last ?? "") }
    }

    /// Append-only migrations: never edit one that has shipped, add the next.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-box-and-bundles") { db in
            try db.create(table: "box") { t in
                t.column("id", .integer).primaryKey().check { $0 == 1 }
                t.column("uai", .text).notNull().check { length($0) == 8 }
                t.column("name", .text).notNull()
                t.column("createdAt", .integer).notNull()
            }
            try db.create(table: "setting") { t in
                t.column("key", .text).primaryKey()
                t.column("value", .text).notNull()
            }
            try db.create(table: "blob") { t in
                t.column("hash", .text).primaryKey().check { length($0) == 64 }
                t.column("size", .integer).notNull().check { $0 >= 0 }
            }
            try db.create(table: "bundle") { t in
                t.column("id", .text).primaryKey()
                t.column("activeVersion", .text).notNull()
                t.column("origin", .text).notNull().check { ["local", "repository"].contains($0) }
                t.column("updatedAt", .integer).notNull()
            }
            try db.create(table: "bundleVersion") { t in
                t.column("bundleId", .text).notNull().references("bundle", onDelete: .cascade)
                t.column("version", .text).notNull()
                t.column("manifest", .blob).notNull()
                t.column("kind", .text).notNull().check { ["solution", "training"].contains($0) }
                t.column("standard", .text).notNull()
                t.column("entry", .text).notNull()
                t.column("fileCount", .integer).notNull().check { $0 >= 0 }
                t.column("contentBytes", .integer).notNull().check { $0 >= 0 }
                t.column("importedAt", .integer).notNull()
                t.primaryKey(["bundleId", "version"])
            }
            try db.create(table: "bundleFile") { t in
                t.column("bundleId", .text).notNull()
                t.column("version", .text).notNull()
                t.column("path", .text).notNull()
                t.column("blob", .text).notNull().references("blob")
                t.primaryKey(["bundleId", "version", "path"])
                t.foreignKey(["bundleId", "version"], references: "bundleVersion", onDelete: .cascade)
            }
            try db.create(index: "bundleFileByBlob", on: "bundleFile", columns: ["blob"])
        }
        migrator.registerMigration("v2-repository-and-licences") { db in
            // Repository bundles: which signed target serves (so an unchanged target is not
            // fetched again), whether it needs a licence, and when it left the repository
            // (unlisted bundles stop serving at once and are collected by the next sync).
            try db.alter(table: "bundle") { t in
                t.add(column: "targetPath", .text)
                t.add(column: "targetHash", .text)
                t.add(column: "licenceRequired", .boolean).notNull().defaults(to: false)
                t.add(column: "unlistedAt", .integer)
            }
            // The licence document of this UAI, as the signed repository holds it.
            try db.create(table: "licence") { t in
                t.column("id", .integer).primaryKey().check { $0 == 1 }
                t.column("document", .blob).notNull()
                t.column("sha256", .text).notNull()
                t.column("updatedAt", .integer).notNull()
            }
            // What the last syncs did, and the newest time the box has verified: the box never
            // trusts a clock earlier than this (a dead RTC battery must not revive expired
            // metadata or licences).
            try db.create(table: "syncState") { t in
                t.column("id", .integer).primaryKey().check { $0 == 1 }
                t.column("trustedTime", .integer).notNull().defaults(to: 0)
                t.column("lastAttemptAt", .integer)
                t.column("lastSuccessAt", .integer)
                t.column("lastError", .text)
                t.column("source", .text)
                t.column("rootVersion", .integer)
                t.column("targetsVersion", .integer)
                t.column("clockBehindBy", .integer)
            }
            try db.execute(sql: "INSERT INTO syncState (id) VALUES (1)")
        }
        // Usage records (issue 4), one file each, in this order: statements, state and
        // profile documents, credentials (local LRS); the outbox to the upstream LRS; learners
        // and launches.
        registerStatementMigrations(&migrator)
        registerOutboxMigrations(&migrator)
        registerLaunchMigrations(&migrator)
        // The rest of the local LRS (issue 8): activity profiles, activities, relations, attachments.
        registerLRSResourceMigrations(&migrator)
        // One origin per bundle (issue 9): the port of each bundle, the page each launch frames.
        registerBundleOriginMigrations(&migrator)
        // People (issue 9): staff, classes, pupils, sessions, codes, audit log.
        registerPeopleMigrations(&migrator)
        // Content structure (issue 10): the SCO/AU a launch and a SCORM attempt belong to.
        registerContentStructureMigrations(&migrator)
        // The séance prête (issue 10): séances, hand-overs, joins, séance launches and access.
        registerSeanceMigrations(&migrator)
        return migrator
    }
}
