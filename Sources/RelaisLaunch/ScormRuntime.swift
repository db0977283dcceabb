import Foundation
import RelaisCore
import RelaisStore
import RelaisXAPI

/// The server half of the SCORM player: the data model a SCO starts with, and the xAPI
/// statements that each commit of CMI data means.
///
/// The player (`BundlePlayer`) keeps the whole data model in the page and sends every element the
/// SCO may write (and the read-only ones, which the box ignores and recomputes). The box keeps the
/// last committed state per learner and registration, so a learner who closes the tab finds
/// `suspend_data` and the location again.
struct ScormRuntime: Sendable {
    enum Version: String, Sendable {
        case scorm12, scorm2004
    }

    let version: Version

    /// Keys the box keeps for itself in the attempt's data (never sent to the SCO).
    static let initializedForKey = "_relais.initializedFor"
    static let finishedForKey = "_relais.finishedFor"
    static let totalSecondsKey = "_relais.totalSeconds"
    static let entryKey = "_relais.entry"

    // MARK: element names per version

    var statusElement: String { version == .scorm12 ? "cmi.core.lesson_status" : "cmi.completion_status" }
    var exitElement: String { version == .scorm12 ? "cmi.core.exit" : "cmi.exit" }
    var sessionTimeElement: String { version == .scorm12 ? "cmi.core.session_time" : "cmi.session_time" }
    var scorePrefix: String { version == .scorm12 ? "cmi.core.score." : "cmi.score." }
    var locationElement: String { version == .scorm12 ? "cmi.core.lesson_location" : "cmi.location" }

    /// Elements the SCO may not write: the box recomputes them for every launch.
    static let readOnly12: Set<String> = [
        "cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry", "cmi.core.total_time",
        "cmi.core.lesson_mode", "cmi.launch_data", "cmi.comments_from_lms", "cmi.student_data.mastery_score",
        "cmi.student_data.max_time_allowed", "cmi.student_data.time_limit_action",
    ]
    static let readOnly2004: Set<String> = [
        "cmi._version", "cmi.completion_threshold", "cmi.credit", "cmi.entry", "cmi.launch_data", "cmi.learner_id", "cmi.learner_name",
        "cmi.max_time_allowed", "cmi.mode", "cmi.scaled_passing_score", "cmi.time_limit_action", "cmi.total_time",
    ]

    /// Whether the next launch continues this attempt: the SCO left with `suspend`; or the tab
    /// closed before it could finish; or it finished without reaching completed, passed or failed
    /// (many SCOs, the golf samples among them, set `suspend` only on beforeunload, which a
    /// closing tab does not always fire; a pupil must not lose an unfinished module). A new
    /// attempt starts once the SCO is done.
    func isResumable(_ attempt: ScormAttemptRecord) -> Bool {
        let elements = attempt.elements
        if elements[exitElement] == "suspend" { return true }
        if !attempt.terminated { return elements.keys.contains(where: { !$0.hasPrefix("_relais.") }) }
        let status = elements[statusElement] ?? ""
        return outcomes(elements).isEmpty && !["", "not attempted", "unknown"].contains(status)
    }

    /// The data model the SCO starts with for this launch: the stored values (when resuming)
    /// plus the read-only elements the box computes.
    func initialModel(stored: [String: String], resuming: Bool, learner: Learner, learnerAccountName: String, masteryScore: String?, launchData: String?)
        -> [String: String]
    {
        var model = resuming ? stored.filter { !$0.key.hasPrefix("_relais.") } : [:]
        let totalSeconds = resuming ? Double(stored[Self.totalSecondsKey] ?? "") ?? 0 : 0
        let suspended = resuming && stored[exitElement] == "suspend"
        // exit and session_time are write-only and belong to one session.
        model[exitElement] = nil
        model[sessionTimeElement] = nil
        switch version {
        case .scorm12:
            model["cmi.core.student_id"] = learnerAccountName
            model["cmi.core.student_name"] = learner.firstName
            model["cmi.core.credit"] = "credit"
            model["cmi.core.entry"] = suspended ? "resume" : (resuming ? "" : "ab-initio")
            model["cmi.core.lesson_mode"] = "normal"
            model["cmi.core.total_time"] = LaunchDuration.scorm12(seconds: totalSeconds)
            if model["cmi.core.lesson_status"] == nil { model["cmi.core.lesson_status"] = "not attempted" }
            model["cmi.launch_data"] = launchData ?? ""
            model["cmi.student_data.mastery_score"] = masteryScore ?? ""
        case .scorm2004:
            model["cmi._version"] = "1.0"
            model["cmi.learner_id"] = learnerAccountName
            model["cmi.learner_name"] = learner.firstName
            model["cmi.credit"] = "credit"
            model["cmi.entry"] = suspended ? "resume" : (resuming ? "" : "ab-initio")
            model["cmi.mode"] = "normal"
            model["cmi.total_time"] = LaunchDuration.iso(seconds: totalSeconds)
            if model["cmi.completion_status"] == nil { model["cmi.completion_status"] = "unknown" }
            if model["cmi.success_status"] == nil { model["cmi.success_status"] = "unknown" }
            model["cmi.launch_data"] = launchData ?? ""
            if let masteryScore { model["cmi.scaled_passing_score"] = masteryScore }
        }
        return model
    }

    /// The stored data after a commit: what the SCO may write, from `sent`; the box's own keys kept.
    func merged(stored: [String: String], sent: [String: String]) -> [String: String] {
        let readOnly = version == .scorm12 ? Self.readOnly12 : Self.readOnly2004
        var result = stored.filter { $0.key.hasPrefix("_relais.") }
        for (key, value) in sent where !readOnly.contains(key) && !key.hasPrefix("_relais.") && key.utf8.count <= 255 && value.utf8.count <= 65_536 {
            guard key.hasPrefix("cmi.") || key.hasPrefix("adl.") else { continue }
            if key.hasSuffix("._count") || key.hasSuffix("._children") { continue }
            result[key] = value
        }
        return result
    }

    /// The `result.score` of the data model, when the SCO reported one.
    func score(_ cmi: [String: String]) -> JSONValue? {
        let raw = Double(cmi[scorePrefix + "raw"] ?? "")
        let min = Double(cmi[scorePrefix + "min"] ?? "")
        let max = Double(cmi[scorePrefix + "max"] ?? "")
        var scaled = version == .scorm2004 ? Double(cmi["cmi.score.scaled"] ?? "") : nil
        if scaled == nil, let raw {
            let low = min ?? 0, high = max ?? 100
            if high > low { scaled = (raw - low) / (high - low) }
        }
        var score: [String: JSONValue] = [:]
        if let scaled, (-1...1).contains(scaled) { score["scaled"] = .number(scaled) }
        if let raw {
            let low = min ?? raw, high = max ?? raw
            if low <= raw && raw <= high {
                score["raw"] = .number(raw)
                if let min { score["min"] = .number(min) }
                if let max { score["max"] = .number(max) }
            }
        }
        return score.isEmpty ? nil : .object(score)
    }

    /// Seconds of the session time the SCO reported, if any.
    func sessionSeconds(_ cmi: [String: String]) -> Double? {
        guard let text = cmi[sessionTimeElement], !text.isEmpty else { return nil }
        return version == .scorm12 ? LaunchDuration.seconds(scorm12: text) : LaunchDuration.seconds(iso: text)
    }

    /// What the SCO's status means in xAPI: completed, passed, failed (nil for the others).
    func outcomes(_ cmi: [String: String]) -> Set<String> {
        var verbs: Set<String> = []
        switch version {
        case .scorm12:
            switch cmi["cmi.core.lesson_status"] {
            case "completed": verbs.insert(Verb.completed)
            case "passed": verbs.insert(Verb.passed)
            case "failed": verbs.insert(Verb.failed)
            default: break
            }
        case .scorm2004:
            if cmi["cmi.completion_status"] == "completed" { verbs.insert(Verb.completed) }
            switch cmi["cmi.success_status"] {
            case "passed": verbs.insert(Verb.passed)
            case "failed": verbs.insert(Verb.failed)
            default: break
            }
        }
        return verbs
    }

    /// The statements one event of the player means, given the data before and after it.
    /// `event` is `initialize`, `commit` or `finish`.
    func statements(event: String, launchID: String, before: [String: String], after: [String: String], factory: StatementFactory, object: JSONValue)
        -> [JSONValue]
    {
        let context: [String: JSONValue] = ["contextActivities": ["category": [["id": .string(ScormVocabulary.category)]]]]
        var out: [JSONValue] = []
        var offset: Int64 = 0
        func add(_ verb: String, result: JSONValue? = nil) {
            out.append(factory.statement(verb: verb, object: object, result: result, context: context, offsetMilliseconds: offset))
            offset += 1  // keeps the order of one commit's statements in their timestamps
        }
        if before[Self.initializedForKey] != launchID, after[Self.initializedForKey] == launchID {
            add(after[Self.entryKey] == "resume" ? Verb.resumed : Verb.initialized)
        }
        let score = self.score(after)
        for verb in [Verb.completed, Verb.passed, Verb.failed] where outcomes(after).contains(verb) && !outcomes(before).contains(verb) {
            var result: [String: JSONValue] = [:]
            if let score, verb != Verb.completed { result["score"] = score }
            if verb == Verb.passed { result["success"] = true }
            if verb == Verb.failed { result["success"] = false }
            if verb == Verb.completed { result["completion"] = true }
            if let score, verb == Verb.completed, !outcomes(after).contains(Verb.passed), !outcomes(after).contains(Verb.failed) {
                result["score"] = score
            }
            add(verb, result: .object(result))
        }
        if before[Self.finishedForKey] != launchID, after[Self.finishedForKey] == launchID {
            var result: [String: JSONValue] = [:]
            if let seconds = sessionSeconds(after) { result["duration"] = .string(LaunchDuration.iso(seconds: seconds)) }
            if after[exitElement] == "suspend" { add(Verb.suspended, result: result.isEmpty ? nil : .object(result)) }
            add(Verb.terminated, result: result.isEmpty ? nil : .object(result))
        }
        return out
    }
}
