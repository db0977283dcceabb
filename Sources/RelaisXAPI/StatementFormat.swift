import RelaisCore

/// The `format` parameter of `GET /xapi/statements` (xAPI-Communication 2.1.3): `exact` returns
/// statements as stored, `ids` only what identifies each Agent, Group, Activity and Verb,
/// `canonical` the LRS's canonical Activity definitions and every language map reduced to the
/// language the client prefers (Accept-Language).
public enum StatementFormat: String, Sendable {
    /// As stored; only the identifying fields; canonical definitions and one language per map.
    case exact, ids, canonical

    /// The statement in this format. `definition` gives the LRS's canonical definition of an
    /// Activity id (canonical only); `languages` the client's preference, best first.
    public func apply(_ statement: JSONValue, languages: [String] = [], definition: (String) -> JSONValue? = { _ in nil }) -> JSONValue {
        switch self {
        case .exact: return statement
        case .ids: return Self.ids(statement)
        case .canonical: return Self.canonical(statement, languages: languages, definition: definition)
        }
    }

    // MARK: ids

    static func ids(_ statement: JSONValue) -> JSONValue {
        guard case .object(var members) = statement else { return statement }
        for key in ["actor", "authority"] { if let agent = members[key] { members[key] = agentIds(agent) } }
        if let verb = members["verb"], let id = verb["id"] { members["verb"] = ["id": id] }
        if let object = members["object"] {
            switch object["objectType"]?.stringValue ?? "Activity" {
            case "Activity": members["object"] = activityIds(object)
            case "Agent", "Group": members["object"] = agentIds(object)
            case "SubStatement": members["object"] = ids(object)
            default: break
            }
        }
        if case .object(var context)? = members["context"] {
            for key in ["instructor", "team"] { if let agent = context[key] { context[key] = agentIds(agent) } }
            if let activities = context["contextActivities"] { context["contextActivities"] = mapContextActivities(activities, activityIds) }
            members["context"] = .object(context)
        }
        return .object(members)
    }

    /// `contextActivities` with `transform` applied to each Activity (a list, or the single
    /// object 0.95 clients sent).
    static func mapContextActivities(_ activities: JSONValue, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        guard case .object(var kinds) = activities else { return activities }
        for (kind, list) in kinds {
            switch list {
            case .array(let items): kinds[kind] = .array(items.map(transform))
            case .object: kinds[kind] = transform(list)
            default: break
            }
        }
        return .object(kinds)
    }

    static func activityIds(_ activity: JSONValue) -> JSONValue {
        guard let id = activity["id"] else { return activity }
        return ["objectType": "Activity", "id": id]
    }

    /// An Agent or identified Group: its type and identifier; an anonymous Group: its members'.
    static func agentIds(_ agent: JSONValue) -> JSONValue {
        let isGroup = agent["objectType"]?.stringValue == "Group"
        var out: [String: JSONValue] = ["objectType": isGroup ? "Group" : "Agent"]
        var identified = false
        for key in ["mbox", "mbox_sha1sum", "openid", "account"] {
            if let value = agent[key] {
                out[key] = value
                identified = true
            }
        }
        if isGroup, !identified, let members = agent["member"]?.arrayValue { out["member"] = .array(members.map(agentIds)) }
        return .object(out)
    }

    // MARK: canonical

    static func canonical(_ statement: JSONValue, languages: [String], definition: (String) -> JSONValue?) -> JSONValue {
        guard case .object(var members) = statement else { return statement }
        func activity(_ value: JSONValue) -> JSONValue {
            guard case .object(var a) = value else { return value }
            if let id = a["id"]?.stringValue, let known = definition(id) { a["definition"] = known }
            if case .object(var d)? = a["definition"] {
                for key in ["name", "description"] { if let map = d[key] { d[key] = LanguagePreference.reduce(map, to: languages) } }
                for key in ["choices", "scale", "source", "target", "steps"] {
                    guard let list = d[key]?.arrayValue else { continue }
                    d[key] = .array(list.map { component in
                        component["description"].map { component.setting("description", to: LanguagePreference.reduce($0, to: languages)) } ?? component
                    })
                }
                a["definition"] = .object(d)
            }
            return .object(a)
        }
        if case .object(var verb)? = members["verb"] {
            if let display = verb["display"] { verb["display"] = LanguagePreference.reduce(display, to: languages) }
            members["verb"] = .object(verb)
        }
        if let object = members["object"] {
            switch object["objectType"]?.stringValue ?? "Activity" {
            case "Activity": members["object"] = activity(object)
            case "SubStatement": members["object"] = canonical(object, languages: languages, definition: definition)
            default: break
            }
        }
        if case .object(var context)? = members["context"], let activities = context["contextActivities"] {
            context["contextActivities"] = mapContextActivities(activities, activity)
            members["context"] = .object(context)
        }
        if let attachments = members["attachments"]?.arrayValue {
            members["attachments"] = .array(attachments.map { attachment in
                var a = attachment
                for key in ["display", "description"] { if let map = a[key] { a = a.setting(key, to: LanguagePreference.reduce(map, to: languages)) } }
                return a
            })
        }
        return .object(members)
    }
}

/// Accept-Language (RFC 9110 12.5.4) and the choice of one entry of a language map.
public enum LanguagePreference {
    /// The languages of an Accept-Language header, best first (q=0 left out, `*` kept).
    public static func parse(_ header: String?) -> [String] {
        guard let header else { return [] }
        var weighted: [(tag: String, q: Double, order: Int)] = []
        for (order, item) in header.split(separator: ",").enumerated() {
            let parts = item.split(separator: ";").map { $0.trimmingSpaces }
            guard let tag = parts.first, !tag.isEmpty else { continue }
            var q = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                q = Double(parameter.dropFirst(2)) ?? 0
            }
            if q > 0 { weighted.append((tag, q, order)) }
        }
        return weighted.sorted { $0.q != $1.q ? $0.q > $1.q : $0.order < $1.order }.map(\.tag)
    }

    /// A language map reduced to the one entry the preference picks: an exact tag (case
    /// insensitive), then one sharing the primary language, then `*` or no match: the first
    /// tag in order. Not a map, or empty: unchanged.
    public static func reduce(_ map: JSONValue, to languages: [String]) -> JSONValue {
        guard let members = map.objectValue, members.count > 1 else { return map }
        let tags = members.keys.sorted()
        func primary(_ tag: String) -> Substring { tag.lowercased().split(separator: "-").first ?? "" }
        var chosen: String?
        for wanted in languages where chosen == nil {
            if wanted == "*" { chosen = tags.first; break }
            chosen = tags.first { $0.lowercased() == wanted.lowercased() } ?? tags.first { primary($0) == primary(wanted) }
        }
        let tag = chosen ?? tags[0]
        return [tag: members[tag]!]
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
