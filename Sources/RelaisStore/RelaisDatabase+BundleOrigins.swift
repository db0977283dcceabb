import GRDB

extension RelaisDatabase {
    /// Migrations of one origin per bundle (issue 9).
    static func registerBundleOriginMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-bundle-origins") { db in
            // The port of each bundle's own origin, assigned once from `serve.bundlePorts` and kept,
            // so a bundle keeps its origin (and what it stored in the browser) across its versions
            // and across restarts. No foreign key to `bundle`: a bundle that leaves the box and
            // comes back finds its port again.
            try db.create(table: "bundleOrigin") { t in
                t.column("bundleId", .text).primaryKey()
                t.column("port", .integer).notNull().unique().check { $0 >= 1 && $0 <= 65535 }
                t.column("assignedAt", .integer).notNull()
            }
            // The page a launch opens inside the portal's frame (the player or the cmi5 AU, on the
            // bundle's origin, with its query string): `/lecture/{launch}` frames it.
            try db.alter(table: "launch") { t in
                t.add(column: "frameUrl", .text)
            }
        }
    }
}
