import GRDB

extension RelaisDatabase {
    /// Content structure (issue 10): which SCO or AU of a multi-SCO / multi-AU package a launch
    /// opened, and which SCO a SCORM attempt belongs to (one attempt per SCO). Rows written
    /// before this migration keep NULL: they opened the package's first entry.
    static func registerContentStructureMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-content-structure") { db in
            try db.alter(table: "launch") { t in t.add(column: "itemId", .text) }
            try db.alter(table: "scormAttempt") { t in t.add(column: "itemId", .text) }
            try db.create(index: "scormAttemptByLearnerBundleItem", on: "scormAttempt", columns: ["learnerId", "bundleId", "itemId", "updatedAt"])
        }
    }
}
