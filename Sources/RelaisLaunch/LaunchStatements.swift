import Foundation
import RelaisCore
import RelaisXAPI

/// The xAPI vocabulary the box writes for launches (ADL verbs, cmi5 categories and extensions).
enum Verb {
    static let launched = "http://adlnet.gov/expapi/verbs/launched"
    static let initialized = "http://adlnet.gov/expapi/verbs/initialized"
    static let completed = "http://adlnet.gov/expapi/verbs/completed"
    static let passed = "http://adlnet.gov/expapi/verbs/passed"
    static let failed = "http://adlnet.gov/expapi/verbs/failed"
    static let suspended = "http://adlnet.gov/expapi/verbs/suspended"
    static let resumed = "http://adlnet.gov/expapi/verbs/resumed"
    static let terminated = "http://adlnet.gov/expapi/verbs/terminated"
    static let experienced = "http://adlnet.gov/expapi/verbs/experienced"
    static let satisfied = "https://w3id.org/xapi/adl/verbs/satisfied"
    static let answered = "http://adlnet.gov/expapi/verbs/answered"

    /// The `display` of a verb: its last path segment, in English as ADL names them.
    static func display(_ id: String) -> JSONValue {
        ["en-US": .string(String(id.split(separator: "/").last ?? ""))]
    }
}

enum Cmi5Vocabulary {
    static let category = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
    static let moveOnCategory = "https://w3id.org/xapi/cmi5/context/categories/moveon"
    static let sessionID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
    static let launchMode = "https://w3id.org/xapi/cmi5/context/extensions/launchmode"
    static let launchURL = "https://w3id.org/xapi/cmi5/context/extensions/launchurl"
    static let moveOn = "https://w3id.org/xapi/cmi5/context/extensions/moveon"
    static let launchParameters = "https://w3id.org/xapi/cmi5/context/extensions/launchparameters"
    static let masteryScore = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
    static let courseType = "https://w3id.org/xapi/cmi5/activitytype/course"
    static let blockType = "https://w3id.org/xapi/cmi5/activitytype/block"
}

/// The SCORM profile's category, so SCORM-born statements can be told apart upstream.
enum ScormVocabulary {
    static let category = "https://w3id.org/xapi/scorm"
    /// The activity type of one SCO of a multi-SCO package.
    static let scoType = "http://adlnet.gov/expapi/activities/lesson"
}

/// Builds the statements the box itself writes, stamped with id and timestamp at creation.
struct StatementFactory: Sendable {
    let actor: JSONValue
    let registration: String
    let now: Date

    /// The activity id of a bundle: bundle.json `xapi.activityId`, else an IRI derived from its id.
    static func activityID(of manifest: BundleManifest) -> String {
        if let id = manifest.xapi?.activityId, !id.isEmpty { return id }
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;?#"))
        return "https://relais.invalid/bundles/\(manifest.id.addingPercentEncoding(withAllowedCharacters: allowed) ?? manifest.id)"
    }

    /// The Activity object of a bundle, with its French title.
    static func activity(_ id: String, name: String?, type: String?) -> JSONValue {
        var definition: [String: JSONValue] = [:]
        if let name, !name.isEmpty { definition["name"] = ["fr-FR": .string(name)] }
        if let type { definition["type"] = .string(type) }
        var object: [String: JSONValue] = ["objectType": "Activity", "id": .string(id)]
        if !definition.isEmpty { object["definition"] = .object(definition) }
        return .object(object)
    }

    /// One statement; `context` members are merged with the registration.
    func statement(verb: String, object: JSONValue, result: JSONValue? = nil, context: [String: JSONValue] = [:], offsetMilliseconds: Int64 = 0)
        -> JSONValue
    {
        var contextMembers = context
        contextMembers["registration"] = .string(registration)
        var members: [String: JSONValue] = [
            "id": .string(StatementID.random()),
            "timestamp": .string(XAPIFormat.timestamp(milliseconds: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)) + offsetMilliseconds)),
            "actor": actor,
            "verb": ["id": .string(verb), "display": Verb.display(verb)],
            "object": object,
            "context": .object(contextMembers),
        ]
        if let result { members["result"] = result }
        return .object(members)
    }
}

/// Durations as xAPI writes them (ISO 8601, e.g. `PT1H2M3.5S`) and as SCORM 1.2 does (`0001:02:03.50`).
enum LaunchDuration {
    /// ISO 8601 duration of a number of seconds (hundredths kept).
    static func iso(seconds: Double) -> String {
        let centis = Int64((max(0, seconds) * 100).rounded())
        let hours = centis / 360_000
        let minutes = (centis / 6_000) % 60
        let rest = centis % 6_000
        var text = "PT"
        if hours > 0 { text += "\(hours)H" }
        if minutes > 0 { text += "\(minutes)M" }
        if rest % 100 == 0 {
            text += "\(rest / 100)S"
        } else {
            text += String(format: "%d.%02dS", rest / 100, rest % 100)
        }
        return text
    }

    /// Seconds of a SCORM 1.2 CMITimespan `HHHH:MM:SS.SS`.
    static func seconds(scorm12 text: String) -> Double? {
        let parts = text.split(separator: ":")
        guard parts.count == 3, let h = Double(parts[0]), let m = Double(parts[1]), let s = Double(parts[2]), h >= 0, m >= 0, s >= 0 else { return nil }
        return h * 3600 + m * 60 + s
    }

    /// Seconds of an ISO 8601 duration (`P[nD]T[nH][nM][n.nS]`, years and months refused).
    static func seconds(iso text: String) -> Double? { XAPIFormat.durationSeconds(text) }

    /// SCORM 1.2 CMITimespan of a number of seconds (`HHHH:MM:SS.SS`).
    static func scorm12(seconds: Double) -> String {
        let centis = Int64((max(0, seconds) * 100).rounded())
        return String(format: "%04d:%02d:%02d.%02d", centis / 360_000, (centis / 6_000) % 60, (centis / 100) % 60, centis % 100)
    }
}
