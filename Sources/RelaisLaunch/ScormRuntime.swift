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
    /// On the attempt whose commit completed every SCO of the package: when (the course's
    /// `completed` is written once).
    static let packageCompletedKey = "_relais.packageCompleted"
    /// On an attempt: interaction record n was sent as an `answered` statement.
    static func answeredKey(_ index: Int) -> String { "_relais.answered.\(index)" }

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
    func statements(
        event: String, launchID: String, before: [String: String], after: [String: String], factory: StatementFactory, object: JSONValue,
        context: [String: JSONValue]? = nil
    ) -> [JSONValue] {
        let context = context ?? ["contextActivities": ["category": [["id": .string(ScormVocabulary.category)]]]]
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

    // MARK: content structure (issue 10)

    /// A number as the data model writes it ("0.8", "1").
    static func decimal(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// The read-only elements a SCO gets from its item in the manifest: SCORM 2004
    /// `cmi.completion_threshold`, and `cmi.objectives` initialised with the item's objective ids
    /// (primary first) when the attempt has none yet.
    func applyStructure(_ entry: BundleStructureEntry, to model: inout [String: String]) {
        // A navigation request belongs to the session that made it.
        model["adl.nav.request"] = nil
        guard version == .scorm2004 else { return }
        if let threshold = entry.completionThreshold { model["cmi.completion_threshold"] = Self.decimal(threshold) }
        let known = Set(model.filter { $0.key.hasPrefix("cmi.objectives.") && $0.key.hasSuffix(".id") }.map(\.value))
        var next = model.keys.filter { $0.hasPrefix("cmi.objectives.") && $0.hasSuffix(".id") }.count
        for id in entry.objectiveIds where !known.contains(id) {
            model["cmi.objectives.\(next).id"] = id
            model["cmi.objectives.\(next).success_status"] = "unknown"
            model["cmi.objectives.\(next).completion_status"] = "unknown"
            next += 1
        }
    }

    /// What the LMS decides from the SCO's data and its item's thresholds (SCORM 2004 RTE
    /// 4.2.4.1 and 4.2.22.1; SCORM 1.2 RTE 3.4.4 `mastery_score`): completion from
    /// `progress_measure` against `completion_threshold`; success from `score.scaled` against
    /// `scaled_passing_score` (the primary objective's `minNormalizedMeasure` when satisfied by
    /// measure); in SCORM 1.2, a `completed` SCO with a raw score is passed or failed against
    /// `mastery_score`.
    func evaluate(_ cmi: inout [String: String], entry: BundleStructureEntry) {
        switch version {
        case .scorm2004:
            if let threshold = entry.completionThreshold, let progress = Double(cmi["cmi.progress_measure"] ?? "") {
                cmi["cmi.completion_status"] = progress >= threshold ? "completed" : "incomplete"
            }
            if let passing = entry.scaledPassingScore, let scaled = Double(cmi["cmi.score.scaled"] ?? "") {
                cmi["cmi.success_status"] = scaled >= passing ? "passed" : "failed"
            }
        case .scorm12:
            if let mastery = entry.masteryScore.flatMap(Double.init), let raw = Double(cmi["cmi.core.score.raw"] ?? ""),
                cmi["cmi.core.lesson_status"] == "completed"
            {
                cmi["cmi.core.lesson_status"] = raw >= mastery ? "passed" : "failed"
            }
        }
    }

    /// Whether the SCO is completed (SCORM 1.2: completed, passed or failed).
    func isCompleted(_ cmi: [String: String]) -> Bool {
        switch version {
        case .scorm12: return ["completed", "passed", "failed"].contains(cmi["cmi.core.lesson_status"] ?? "")
        case .scorm2004: return cmi["cmi.completion_status"] == "completed"
        }
    }

    var responseField: String { version == .scorm12 ? "student_response" : "learner_response" }

    /// Interaction records that carry an id and a response or a result, and were never sent.
    func newlyAnswered(before: [String: String], after: [String: String]) -> [Int] {
        var indices: Set<Int> = []
        for key in after.keys where key.hasPrefix("cmi.interactions.") && key.hasSuffix(".id") {
            let parts = key.split(separator: ".")
            guard parts.count == 4, let index = Int(parts[2]) else { continue }
            let prefix = "cmi.interactions.\(index)."
            guard !(after[key] ?? "").isEmpty, after[Self.answeredKey(index)] == nil else { continue }
            if !(after[prefix + responseField] ?? "").isEmpty || !(after[prefix + "result"] ?? "").isEmpty { indices.insert(index) }
        }
        return indices.sorted()
    }

    /// The `answered` statements (xAPI SCORM profile) of the interaction records marked sent by
    /// this commit: object `{SCO}/interactions/{id}` of type cmi.interaction with its
    /// interactionType and correctResponsesPattern, `result.response`, `result.success` from a
    /// correct / incorrect (1.2: wrong) result; the SCO is the parent, the course the grouping.
    func answeredStatements(
        before: [String: String], after: [String: String], factory: StatementFactory, sco: JSONValue, course: JSONValue, offset: Int64
    ) -> [JSONValue] {
        let indices = after.keys.compactMap { key -> Int? in
            guard key.hasPrefix("_relais.answered."), let index = Int(key.dropFirst("_relais.answered.".count)), before[key] == nil else { return nil }
            return index
        }.sorted()
        let scoID = sco["id"]?.stringValue ?? ""
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;?#"))
        var out: [JSONValue] = []
        for index in indices {
            let prefix = "cmi.interactions.\(index)."
            guard let id = after[prefix + "id"], !id.isEmpty else { continue }
            let type = after[prefix + "type"] ?? ""
            var definition: [String: JSONValue] = ["type": "http://adlnet.gov/expapi/activities/cmi.interaction"]
            let xapiTypes: Set<String> = ["true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"]
            if xapiTypes.contains(type) {
                definition["interactionType"] = .string(type)
                var patterns: [JSONValue] = []
                var m = 0
                while let pattern = after[prefix + "correct_responses.\(m).pattern"] {
                    patterns.append(.string(pattern12(pattern, type: type)))
                    m += 1
                }
                if !patterns.isEmpty { definition["correctResponsesPattern"] = .array(patterns) }
            }
            if let description = after[prefix + "description"], !description.isEmpty { definition["description"] = ["fr-FR": .string(description)] }
            definition["name"] = ["fr-FR": .string(id)]
            let object: JSONValue = [
                "objectType": "Activity", "id": .string(scoID + "/interactions/" + (id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id)),
                "definition": .object(definition),
            ]
            var result: [String: JSONValue] = [:]
            if let response = after[prefix + responseField], !response.isEmpty { result["response"] = .string(pattern12(response, type: type)) }
            switch after[prefix + "result"] ?? "" {
            case "correct": result["success"] = true
            case "incorrect", "wrong": result["success"] = false
            default: break
            }
            let context: [String: JSONValue] = ["contextActivities": ["parent": [sco], "grouping": [course], "category": [["id": .string(ScormVocabulary.category)]]]]
            out.append(factory.statement(
                verb: Verb.answered, object: object, result: result.isEmpty ? nil : .object(result), context: context,
                offsetMilliseconds: offset + Int64(out.count)))
        }
        return out
    }

    /// SCORM 1.2 writes response lists with `,` and matching pairs with `.`; xAPI (and SCORM
    /// 2004) with `[,]` and `[.]`. Values of SCORM 2004 are kept as they are.
    func pattern12(_ text: String, type: String) -> String {
        guard version == .scorm12 else { return text }
        switch type {
        case "choice", "sequencing": return text.replacingOccurrences(of: ",", with: "[,]")
        case "matching": return text.replacingOccurrences(of: ".", with: "[.]").replacingOccurrences(of: ",", with: "[,]")
        default: return text
        }
    }
}
