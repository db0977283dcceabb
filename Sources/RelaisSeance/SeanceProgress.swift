import Foundation
import RelaisCore
import RelaisStore
import RelaisXAPI

/// One pupil × one activity of a séance, as the substitute's live table and the teacher's report
/// show it.
public struct ProgressCell: Sendable, Equatable {
    public var launched = false
    public var completed = false
    /// passed (true) / failed (false), nil when the activity said neither.
    public var success: Bool?
    /// The latest score, scaled 0…1 (from `score.scaled`, else `raw` within `min`…`max`).
    public var score: Double?
    /// Time spent, from the durations the activity reported when it closed (`terminated`,
    /// `experienced`); 0 while it has reported none.
    public var seconds: Double = 0
    /// The last statement's time (ms since 1970).
    public var lastAt: Int64?

    public init() {}
}

/// A pupil's line of the table.
public struct PupilProgress: Sendable, Equatable {
    public let pupil: Pupil
    /// When the pupil joined the séance (seconds), nil if they have not.
    public let joinedAt: Int64?
    /// One cell per activity, in the séance's order.
    public var cells: [ProgressCell]
}

/// Per-activity totals (the report's chart).
public struct ActivitySummary: Sendable, Equatable {
    public let activity: SeanceActivity
    public let launched: Int
    public let completed: Int
    public let passed: Int
    public let failed: Int
    /// Scores of the pupils who have one (0…1).
    public let scores: [Double]
    public let meanSeconds: Double?
}

/// The progress of a séance, computed from `SeanceRecords` (pure: no I/O).
public struct SeanceProgress: Sendable, Equatable {
    public let seance: Seance
    public let activities: [SeanceActivity]
    public let rows: [PupilProgress]

    public var joinedCount: Int { rows.filter { $0.joinedAt != nil }.count }

    static let completedVerb = "http://adlnet.gov/expapi/verbs/completed"
    static let passedVerb = "http://adlnet.gov/expapi/verbs/passed"
    static let failedVerb = "http://adlnet.gov/expapi/verbs/failed"
    static let experiencedVerb = "http://adlnet.gov/expapi/verbs/experienced"
    static let satisfiedVerb = "https://w3id.org/xapi/adl/verbs/satisfied"
    /// Verbs whose `duration` is the time of a whole session (suspended repeats terminated's).
    static let sessionVerbs: Set<String> = ["http://adlnet.gov/expapi/verbs/terminated", "http://adlnet.gov/expapi/verbs/experienced"]

    /// `courses`: for an activity that is a whole course of several SCOs/AUs (by position), the
    /// course's activity id: its cell is completed, passed or scored only by statements about the
    /// course (the package's rollup, the cmi5 course's `satisfied`), not by one SCO's own; the time
    /// spent adds up every SCO's.
    public init(records: SeanceRecords, courses: [Int: String] = [:]) {
        seance = records.seance
        activities = records.activities
        let positions = Dictionary(uniqueKeysWithValues: records.activities.enumerated().map { ($0.element.position, $0.offset) })
        var cells: [String: [ProgressCell]] = [:]
        for pupil in records.pupils { cells[pupil.id] = Array(repeating: ProgressCell(), count: records.activities.count) }
        // registration → the cells it feeds (a cmi5 course registration feeds each AU's cell
        // through the AU's activity id).
        var byRegistration: [String: [(pupil: String, index: Int, activityId: String?)]] = [:]
        for launch in records.launches {
            guard let index = positions[launch.position], cells[launch.pupilId] != nil else { continue }
            cells[launch.pupilId]![index].launched = true
            let target = (launch.pupilId, index, launch.activityId)
            if !(byRegistration[launch.registration] ?? []).contains(where: { $0.pupil == target.0 && $0.index == target.1 && $0.activityId == target.2 }) {
                byRegistration[launch.registration, default: []].append(target)
            }
        }
        for row in records.statements {
            guard let targets = byRegistration[row.registration] else { continue }
            let statement = try? JSONValue(parsing: row.body, numbers: .integersAndFractions)
            let result = statement?["result"]
            for target in targets {
                let position = records.activities[target.index].position
                if let course = courses[position] {
                    // A whole course: its parts' sessions count for time; only the course's own
                    // statements say completed, passed or scored.
                    if row.activityId == course {
                        Self.apply(verb: row.verbId == Self.satisfiedVerb ? Self.completedVerb : row.verbId, result: result, storedAt: row.storedAt, to: &cells[target.pupil]![target.index])
                    } else {
                        Self.applyTime(verb: row.verbId, result: result, storedAt: row.storedAt, to: &cells[target.pupil]![target.index])
                    }
                    continue
                }
                if let activityId = target.activityId, row.activityId != activityId { continue }
                Self.apply(verb: row.verbId, result: result, storedAt: row.storedAt, to: &cells[target.pupil]![target.index])
            }
        }
        rows = records.pupils.map { PupilProgress(pupil: $0, joinedAt: records.joins[$0.id], cells: cells[$0.id] ?? []) }
    }

    static func apply(verb: String, result: JSONValue?, storedAt: Int64, to cell: inout ProgressCell) {
        applyTime(verb: verb, result: result, storedAt: storedAt, to: &cell)
        // Passing implies having done it (a SCORM 1.2 SCO may report « passed » alone); a page,
        // video or PDF that reports nothing else is done once seen and closed (`experienced`).
        if verb == completedVerb || verb == passedVerb || verb == experiencedVerb || result?["completion"]?.boolValue == true { cell.completed = true }
        if verb == passedVerb {
            cell.success = true
        } else if verb == failedVerb {
            cell.success = false
        } else if let success = result?["success"]?.boolValue {
            cell.success = success
        }
        if let score = result?["score"], let scaled = scaledScore(score) { cell.score = scaled }
    }

    /// The time a closed session adds, and when the cell last moved.
    static func applyTime(verb: String, result: JSONValue?, storedAt: Int64, to cell: inout ProgressCell) {
        cell.lastAt = max(cell.lastAt ?? 0, storedAt)
        if sessionVerbs.contains(verb), let text = result?["duration"]?.stringValue, let seconds = XAPIFormat.durationSeconds(text) {
            cell.seconds += seconds
        }
    }

    /// `scaled`, else `raw` placed within `min`…`max`, clamped to 0…1.
    static func scaledScore(_ score: JSONValue) -> Double? {
        if let scaled = score["scaled"]?.doubleValue { return min(1, max(0, scaled)) }
        if let raw = score["raw"]?.doubleValue, let high = score["max"]?.doubleValue {
            let low = score["min"]?.doubleValue ?? 0
            guard high > low else { return nil }
            return min(1, max(0, (raw - low) / (high - low)))
        }
        return nil
    }

    /// Totals per activity, in order.
    public var summaries: [ActivitySummary] {
        activities.enumerated().map { index, activity in
            let cells = rows.map { $0.cells[index] }
            let timed = cells.filter { $0.seconds > 0 }.map(\.seconds)
            return ActivitySummary(
                activity: activity, launched: cells.filter(\.launched).count, completed: cells.filter(\.completed).count,
                passed: cells.filter { $0.success == true }.count, failed: cells.filter { $0.success == false }.count,
                scores: cells.compactMap(\.score), meanSeconds: timed.isEmpty ? nil : timed.reduce(0, +) / Double(timed.count))
        }
    }
}
