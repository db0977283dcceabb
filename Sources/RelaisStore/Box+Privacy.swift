import Foundation
import GRDB
import RelaisCore
import RelaisXAPI

/// What a purge, or the removal of pupils, deleted on the box.
public struct PurgeReport: Sendable, Equatable {
    public var pupils = 0
    public var statements = 0
    public var launches = 0
    public var scormAttempts = 0
    public var cmi5Satisfactions = 0
    public var stateDocuments = 0
    public var agentProfiles = 0
    public var attachments = 0
    public var credentials = 0
    /// Pupils' statements past the retention period kept because the outbox has not pushed them yet.
    public var keptInOutbox = 0

    public init() {}

    /// One line per count, French then English.
    public var lines: [String] {
        [
            "déclarations xAPI / statements: \(statements)", "lancements / launches: \(launches)",
            "tentatives SCORM / SCORM attempts: \(scormAttempts)", "progressions cmi5 / cmi5 satisfactions: \(cmi5Satisfactions)",
            "documents d'état / state documents: \(stateDocuments)", "profils d'agent / agent profiles: \(agentProfiles)",
            "pièces jointes / attachments: \(attachments)", "accès de lancement / launch credentials: \(credentials)",
            "gardées jusqu'à l'envoi / kept until pushed: \(keptInOutbox)",
        ]
    }
}

/// One line of the audit log: who did or saw what about which pupil or class.
public struct AuditEntry: Sendable, Equatable {
    public let seq: Int64
    /// Seconds since 1970.
    public let at: Int64
    public let personId: String?
    public let action: String
    public let pupilId: String?
    public let classId: String?
    public let detail: String
}

extension Box {
    /// Deletes pupils' data older than the retention period (`privacy.retentionDays`, default 365):
    /// their launches, SCORM attempts, cmi5 progress, xAPI state and agent-profile documents, and
    /// the statements they are the actor (or object, or a related agent) of — with the relation
    /// rows and any attachment no remaining statement uses. Guests and staff are left alone.
    ///
    /// Statements still waiting in the outbox (not yet acknowledged by the upstream LRS, or
    /// quarantined) are kept until pushed: the next purge after the push deletes them
    /// (`keptInOutbox` counts them). Expired sign-in sessions, failures and reset codes go too.
    @discardableResult
    public func purge(now: Date = Date()) throws -> PurgeReport {
        let days = Int64(try setting("privacy.retentionDays")) ?? 365
        let cutoff = PeopleCheck.seconds(now) - days * 86_400
        let pseudonymizer = try pseudonymizer()
        let idle = Int64(try setting("portal.sessionIdleMinutes")) ?? 120
        let maxHours = Int64(try setting("portal.sessionMaxHours")) ?? 12
        return try database.write { db in
            var report = PurgeReport()
            let learners = try String.fetchAll(db, sql: "SELECT id FROM learner WHERE kind = 'pupil'")
            try Self.deleteLearnerData(db, learnerIds: learners, before: cutoff, keepOutbox: true, pseudonymizer: pseudonymizer, report: &report)
            let seconds = PeopleCheck.seconds(now)
            try db.execute(sql: "DELETE FROM session WHERE lastSeenAt < ? OR createdAt < ?", arguments: [seconds - idle * 60, seconds - maxHours * 3600])
            try db.execute(sql: "DELETE FROM signInFailure WHERE at < ?", arguments: [seconds - Int64(SignInThrottle.window.components.seconds)])
            try db.execute(sql: "DELETE FROM resetCode WHERE expiresAt < ? OR usedAt IS NOT NULL", arguments: [seconds])
            try Self.audit(db, at: seconds, personId: nil, action: Self.purgeAction, pupilId: nil, classId: nil,
                detail: "\(days) j : \(report.statements) déclarations, \(report.launches) lancements, \(report.keptInOutbox) en attente d'envoi")
            return report
        }
    }

    static let purgeAction = "privacy.purge"

    /// Runs `purge` when the last one (its line in the audit log) is at least `interval` old, or
    /// there was none: what `relais serve` calls from a timer to purge daily. Nil when not due.
    public func purgeIfDue(now: Date = Date(), interval: Duration = .seconds(86_400)) throws -> PurgeReport? {
        let last = try database.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(at) FROM auditLog WHERE action = ?", arguments: [Self.purgeAction])
        }
        if let last, PeopleCheck.seconds(now) - last < interval.components.seconds { return nil }
        return try purge(now: now)
    }

    /// Deletes the data of these learners: all of it when `before` is nil (then the learners
    /// too, and their pupil rows by cascade), else what is older than `before` (seconds).
    static func deleteLearnerData(
        _ db: Database, learnerIds: [String], before cutoff: Int64?, keepOutbox: Bool, pseudonymizer: Pseudonymizer, report: inout PurgeReport
    ) throws {
        let cutoffMs = cutoff.map { $0 * 1000 } ?? Int64.max
        let cutoffS = cutoff ?? Int64.max
        for learner in learnerIds {
            guard let agentKey = AgentIdentity.key(of: pseudonymizer.account(forLocalUser: learner)) else { continue }
            // Registrations first: launches that go would take them with them.
            let registrations = try String.fetchAll(
                db, sql: "SELECT registration FROM launch WHERE learnerId = ?1 UNION SELECT registration FROM scormAttempt WHERE learnerId = ?1",
                arguments: [learner])
            for registration in registrations {
                try db.execute(sql: "DELETE FROM cmi5Satisfaction WHERE registration = ? AND satisfiedAt < ?", arguments: [registration, cutoffS])
                report.cmi5Satisfactions += db.changesCount
                try db.execute(sql: "DELETE FROM credential WHERE kind = 'launch' AND registration = ? AND createdAt < ?", arguments: [registration, cutoffMs])
                report.credentials += db.changesCount
            }
            try db.execute(sql: "DELETE FROM launch WHERE learnerId = ? AND createdAt < ?", arguments: [learner, cutoffS])
            report.launches += db.changesCount
            try db.execute(sql: "DELETE FROM scormAttempt WHERE learnerId = ? AND updatedAt < ?", arguments: [learner, cutoffS])
            report.scormAttempts += db.changesCount
            try db.execute(sql: "DELETE FROM stateDocument WHERE agentKey = ? AND updatedAt < ?", arguments: [agentKey, cutoffMs])
            report.stateDocuments += db.changesCount
            try db.execute(sql: "DELETE FROM agentProfile WHERE agentKey = ? AND updatedAt < ?", arguments: [agentKey, cutoffMs])
            report.agentProfiles += db.changesCount

            // Statements naming the learner as actor, object or related agent.
            // Bodies are read only for statements that name attachments.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.seq, EXISTS (SELECT 1 FROM outbox o WHERE o.seq = s.seq) AS queued,
                           CASE WHEN instr(CAST(s.body AS TEXT), '"attachments"') > 0 THEN s.body END AS body
                    FROM statement s
                    WHERE (s.actorKey = ?1 OR s.objectAgentKey = ?1
                           OR s.seq IN (SELECT seq FROM statementRelation WHERE kind = 'agent' AND key = ?1))
                      AND s.storedAt < ?2
                    """, arguments: [agentKey, cutoffMs])
            var attachments = Set<String>()
            var doomed: [Int64] = []
            for row in rows {
                if keepOutbox, row["queued"] as Bool {
                    report.keptInOutbox += 1
                    continue
                }
                doomed.append(row["seq"])
                if let bytes = row["body"] as Data?, let body = try? JSONValue(parsing: Array(bytes)) {
                    for attachment in body["attachments"]?.arrayValue ?? [] {
                        if let sha2 = attachment["sha2"]?.stringValue { attachments.insert(sha2) }
                    }
                }
            }
            for chunk in stride(from: 0, to: doomed.count, by: 500).map({ doomed[$0..<min($0 + 500, doomed.count)] }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let arguments = StatementArguments(Array(chunk))
                try db.execute(sql: "DELETE FROM statementRelation WHERE seq IN (\(marks))", arguments: arguments)
                try db.execute(sql: "DELETE FROM statement WHERE seq IN (\(marks))", arguments: arguments)  // outbox rows go by cascade
            }
            report.statements += doomed.count
            for sha2 in attachments {
                let used = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM statement WHERE instr(CAST(body AS TEXT), ?) > 0)", arguments: [sha2]) ?? false
                if !used {
                    try db.execute(sql: "DELETE FROM attachment WHERE sha2 = ?", arguments: [sha2])
                    report.attachments += db.changesCount
                }
            }
            if cutoff == nil {
                try db.execute(sql: "DELETE FROM learner WHERE id = ?", arguments: [learner])
            }
        }
    }

    // MARK: audit log

    /// Writes one line of the audit log (e.g. `pupil.results.view` when a staff account opens a
    /// pupil's results; `class.remove`, `pupil.remove`, `staff.import`, `pupils.import`).
    public func audit(personId: String?, action: String, pupilId: String? = nil, classId: String? = nil, detail: String = "", now: Date = Date()) throws {
        try database.write { db in
            try Self.audit(db, at: PeopleCheck.seconds(now), personId: personId, action: action, pupilId: pupilId, classId: classId, detail: detail)
        }
    }

    static func audit(_ db: Database, at: Int64, personId: String?, action: String, pupilId: String?, classId: String?, detail: String) throws {
        try db.execute(
            sql: "INSERT INTO auditLog (at, personId, action, pupilId, classId, detail) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [at, personId, action, pupilId, classId, detail])
    }

    /// The latest lines of the audit log, newest first.
    public func auditLog(limit: Int = 100) throws -> [AuditEntry] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, at, personId, action, pupilId, classId, detail FROM auditLog ORDER BY seq DESC LIMIT ?", arguments: [limit])
                .map { AuditEntry(seq: $0[0], at: $0[1], personId: $0[2], action: $0[3], pupilId: $0[4], classId: $0[5], detail: $0[6]) }
        }
    }

    // MARK: names for the upstream scrubber

    /// The names known to the box, for `FreeTextScrubber`: the first names of every learner
    /// (pupils, and guests who typed one at launch), staff first and last names, class names.
    public func knownNames() throws -> (people: [String], classes: [String]) {
        try database.read { db in
            let pupils = try String.fetchAll(db, sql: "SELECT DISTINCT firstName FROM learner")
            let staff = try Row.fetchAll(db, sql: "SELECT firstName, lastName FROM person").flatMap { [$0[0] as String, $0[1] as String] }
            let classes = try String.fetchAll(db, sql: "SELECT name FROM schoolClass")
            return (pupils + staff, classes)
        }
    }
}
