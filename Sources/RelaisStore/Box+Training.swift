import Foundation
import GRDB

/// How far a learner (a teacher, through `staffLearner`) went in one bundle, from the local LRS.
public struct TrainingProgress: Sendable, Equatable {
    /// The first launch (nil: never opened).
    public var startedAt: Date?
    /// The first statement saying it was completed or passed (nil: not yet).
    public var completedAt: Date?

    public init(startedAt: Date? = nil, completedAt: Date? = nil) {
        self.startedAt = startedAt
        self.completedAt = completedAt
    }

    /// Not commenced, commenced or completed, as `/enseignant` shows it.
    public enum State: String, Sendable { case notStarted, started, completed }

    public var state: State { completedAt != nil ? .completed : startedAt != nil ? .started : .notStarted }
}

extension Box {
    /// Verbs that say a module was done: ADL completed and passed, and cmi5's satisfied (the box
    /// sends it for a course whose moveOn is met).
    static let completionVerbs = [
        "http://adlnet.gov/expapi/verbs/completed",
        "http://adlnet.gov/expapi/verbs/passed",
        "https://w3id.org/xapi/adl/verbs/satisfied",
    ]

    /// The bundles a learner completed, with the time of the first statement that says so: a
    /// statement of the local LRS, not voided, in the registration of one of the learner's
    /// launches of that bundle, whose verb is completed, passed or satisfied, or whose
    /// `result.completion` is true. Reads the launch index by learner and the statement index by
    /// registration (no table scan, no new index).
    public func trainingCompletions(learnerId: String) throws -> [String: Date] {
        try database.read { db in
            let placeholders = Self.completionVerbs.map { _ in "?" }.joined(separator: ", ")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.bundleId, MIN(s.storedAt) FROM launch l
                    JOIN statement s ON s.registration = l.registration
                    WHERE l.learnerId = ? AND s.voided = 0
                      AND (s.verbId IN (\(placeholders))
                           OR (json_valid(CAST(s.body AS TEXT)) AND json_extract(CAST(s.body AS TEXT), '$.result.completion') = 1))
                    GROUP BY l.bundleId
                    """,
                arguments: StatementArguments([learnerId] + Self.completionVerbs))
            var completions: [String: Date] = [:]
            for row in rows {
                let ms: Int64 = row[1]
                completions[row[0]] = Date(timeIntervalSince1970: Double(ms) / 1000)
            }
            return completions
        }
    }

    /// The first launch of each bundle by a learner (the teacher "commenced" a training module).
    public func firstLaunches(learnerId: String) throws -> [String: Date] {
        try database.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT bundleId, MIN(createdAt) FROM launch WHERE learnerId = ? GROUP BY bundleId", arguments: [learnerId])
            var launches: [String: Date] = [:]
            for row in rows {
                let seconds: Int64 = row[1]
                launches[row[0]] = Date(timeIntervalSince1970: Double(seconds))
            }
            return launches
        }
    }

    /// Started and completed, per bundle the learner opened.
    public func trainingProgress(learnerId: String) throws -> [String: TrainingProgress] {
        var progress: [String: TrainingProgress] = [:]
        for (bundle, date) in try firstLaunches(learnerId: learnerId) { progress[bundle, default: .init()].startedAt = date }
        for (bundle, date) in try trainingCompletions(learnerId: learnerId) { progress[bundle, default: .init()].completedAt = date }
        return progress
    }
}

extension Box {
    /// The staff learner of a person if they ever launched something (`staffLearner` creates it
    /// at the first launch); nil otherwise. Reads only, for pages.
    public func existingStaffLearner(personId: String) throws -> Learner? {
        try database.read { db in try Learner.fetchOne(db, key: personId) }
    }
}
