import Foundation
import GRDB
import RelaisCore

/// What a séance's progress table and report are read from: the class's pupils, who joined, the
/// launches made within the séance, and the local LRS's statements of those launches'
/// registrations (so the live table and the report later show the same numbers).
public struct SeanceRecords: Sendable {
    public struct LaunchRow: Sendable, Equatable {
        public let launchId: String
        public let pupilId: String
        public let position: Int
        public let registration: String
        /// cmi5: the AU's activity id (the course registration is shared by every AU).
        public let activityId: String?
        public let createdAt: Int64
    }

    public struct StatementRow: Sendable {
        public let registration: String
        public let verbId: String
        public let activityId: String?
        /// ms since 1970.
        public let storedAt: Int64
        /// The statement as stored (JSON).
        public let body: Data
    }

    public let seance: Seance
    public let activities: [SeanceActivity]
    public let pupils: [Pupil]
    /// pupil id → when they joined (seconds).
    public let joins: [String: Int64]
    public let launches: [LaunchRow]
    public let statements: [StatementRow]
}

extension Box {
    /// Everything the progress of a séance is computed from, read in one transaction; with
    /// `pupilId`, only that pupil's line (what the pupil's own page needs).
    public func seanceRecords(seanceId: String, pupilId: String? = nil) throws -> SeanceRecords? {
        try database.read { db -> SeanceRecords? in
            guard let seance = try Seance.fetchOne(db, key: seanceId) else { return nil }
            let activities = try SeanceActivity.filter(Column("seanceId") == seanceId).order(Column("position")).fetchAll(db)
            let pupils = try (pupilId.map { try Self.pupils(db, sql: "WHERE p.classId = ? AND p.id = ?", [seance.classId, $0]) }
                ?? Self.pupils(db, sql: "WHERE p.classId = ?", [seance.classId]))
                .sorted { (PeopleText.folded($0.firstName), $0.lastInitial) < (PeopleText.folded($1.firstName), $1.lastInitial) }
            var joins: [String: Int64] = [:]
            // The pupil filter: `?2` is NULL for the whole class.
            let only: StatementArguments = [seanceId, pupilId]
            for row in try Row.fetchAll(db, sql: "SELECT pupilId, joinedAt FROM seanceJoin WHERE seanceId = ?1 AND (?2 IS NULL OR pupilId = ?2)", arguments: only) {
                joins[row[0]] = row[1]
            }
            let launches = try Row.fetchAll(
                db,
                sql: """
                    SELECT sl.launchId, sl.pupilId, sl.position, l.registration, l.activityId, l.createdAt
                    FROM seanceLaunch sl JOIN launch l ON l.id = sl.launchId
                    WHERE sl.seanceId = ?1 AND (?2 IS NULL OR sl.pupilId = ?2) ORDER BY l.createdAt, l.rowid
                    """, arguments: only
            ).map { SeanceRecords.LaunchRow(launchId: $0[0], pupilId: $0[1], position: $0[2], registration: $0[3], activityId: $0[4], createdAt: $0[5]) }
            let statements = try Row.fetchAll(
                db,
                sql: """
                    SELECT registration, verbId, activityId, storedAt, body FROM statement
                    WHERE registration IN (
                        SELECT l.registration FROM seanceLaunch sl JOIN launch l ON l.id = sl.launchId
                        WHERE sl.seanceId = ?1 AND (?2 IS NULL OR sl.pupilId = ?2))
                      AND voided = 0 AND voids IS NULL
                    ORDER BY seq
                    """, arguments: only
            ).map { SeanceRecords.StatementRow(registration: $0[0], verbId: $0[1], activityId: $0[2], storedAt: $0[3], body: $0[4]) }
            return SeanceRecords(seance: seance, activities: activities, pupils: pupils, joins: joins, launches: launches, statements: statements)
        }
    }
}
