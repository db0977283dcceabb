import GRDB

extension RelaisDatabase {
    /// Migrations of the learner and launch tables (issue 4).
    static func registerLaunchMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-launches") { db in
            // Who launches: a local user of the box. `id` is the local user id the pseudonym is
            // computed from; `firstName` never leaves the box (statements carry the pseudonym).
            try db.create(table: "learner") { t in
                t.column("id", .text).primaryKey()
                t.column("firstName", .text).notNull()
                t.column("kind", .text).notNull().check { ["guest"].contains($0) }
                t.column("createdAt", .integer).notNull()
            }
            try db.create(index: "learnerByFirstName", on: "learner", columns: ["kind", "firstName"])
            // One row per launch. A registration (xAPI context.registration) may span several
            // launches: a cmi5 course keeps its registration, a suspended SCORM attempt resumes in it.
            // No foreign key to `bundle`: usage outlives a bundle that leaves the box.
            try db.create(table: "launch") { t in
                t.column("id", .text).primaryKey()
                t.column("registration", .text).notNull()
                t.column("bundleId", .text).notNull()
                t.column("version", .text).notNull()
                t.column("learnerId", .text).notNull().references("learner")
                t.column("createdAt", .integer).notNull()
                t.column("standard", .text).notNull()
                // cmi5: the AU launched (its activity id), the single-use fetch (when it was used).
                t.column("activityId", .text)
                t.column("fetchedAt", .integer)
                // HTML5/video/PDF players and SCORM: when the player reported its end.
                t.column("endedAt", .integer)
            }
            try db.create(index: "launchByLearnerAndBundle", on: "launch", columns: ["learnerId", "bundleId", "createdAt"])
            try db.create(index: "launchByRegistration", on: "launch", columns: ["registration"])
            try db.create(index: "launchByBundle", on: "launch", columns: ["bundleId", "createdAt"])
            // The CMI data of one SCORM attempt (per learner and registration), as the player last
            // committed it: a JSON object of element → value.
            try db.create(table: "scormAttempt") { t in
                t.column("registration", .text).primaryKey()
                t.column("learnerId", .text).notNull().references("learner")
                t.column("bundleId", .text).notNull()
                t.column("version", .text).notNull()
                t.column("standard", .text).notNull().check { ["scorm12", "scorm2004"].contains($0) }
                t.column("cmi", .text).notNull()
                t.column("initialized", .boolean).notNull().defaults(to: false)
                t.column("terminated", .boolean).notNull().defaults(to: false)
                t.column("updatedAt", .integer).notNull()
            }
            // cmi5 LMS-side progress of a registration: which AUs were completed/passed and
            // whether the LMS already wrote `satisfied` for an activity (AU, block, course).
            try db.create(table: "cmi5Satisfaction") { t in
                t.column("registration", .text).notNull()
                t.column("activityId", .text).notNull()
                t.column("satisfiedAt", .integer).notNull()
                t.primaryKey(["registration", "activityId"])
            }
        }
    }
}
