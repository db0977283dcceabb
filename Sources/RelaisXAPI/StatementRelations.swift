import RelaisCore

/// What a statement is about, for the filters and resources that look inside it:
/// `related_activities` / `related_agents` (xAPI-Communication 2.1.3), the canonical Activity
/// definitions (2.5) and the Person object (2.6).
public enum StatementRelations {
    static let contextActivityKinds = ["parent", "grouping", "category", "other"]

    /// Every Activity id the statement names: its object, its context activities, and the same
    /// in a SubStatement object. Sorted, without repeats.
    public static func activityIds(in statement: JSONValue) -> [String] {
        Array(Set(activities(in: statement).compactMap { $0["id"]?.stringValue })).sorted()
    }

    /// The Activity objects of a statement, as `activityIds` finds them.
    public static func activities(in statement: JSONValue) -> [JSONValue] {
        var found: [JSONValue] = []
        func visit(_ part: JSONValue, sub: Bool) {
            if let object = part["object"] {
                switch object["objectType"]?.stringValue ?? "Activity" {
                case "Activity": found.append(object)
                case "SubStatement" where !sub: visit(object, sub: true)
                default: break
                }
            }
            if let context = part["context"]?["contextActivities"] {
                for kind in contextActivityKinds {
                    switch context[kind] {
                    case .array(let list)?: found.append(contentsOf: list)
                    case .object(let one)?: found.append(.object(one))  // 0.95 clients send one object
                    default: break
                    }
                }
            }
        }
        visit(statement, sub: false)
        return found
    }

    /// The AgentIdentity keys of every Agent or identified Group the statement names: actor,
    /// object, authority, context instructor and team, and the same in a SubStatement object.
    public static func agentKeys(in statement: JSONValue) -> [String] {
        Array(Set(agents(in: statement).compactMap(AgentIdentity.key(of:)))).sorted()
    }

    /// The Agents and Groups of a statement, as `agentKeys` finds them.
    public static func agents(in statement: JSONValue) -> [JSONValue] {
        var found: [JSONValue] = []
        func visit(_ part: JSONValue, sub: Bool) {
            for key in ["actor", "authority"] { if let agent = part[key] { found.append(agent) } }
            if let object = part["object"] {
                switch object["objectType"]?.stringValue {
                case "Agent", "Group": found.append(object)
                case "SubStatement" where !sub: visit(object, sub: true)
                default: break
                }
            }
            for key in ["instructor", "team"] { if let agent = part["context"]?[key] { found.append(agent) } }
        }
        visit(statement, sub: false)
        return found
    }

    /// `(id, definition)` of every Activity of the statement that carries a definition.
    public static func definitions(in statement: JSONValue) -> [(id: String, definition: JSONValue)] {
        activities(in: statement).compactMap { activity in
            guard let id = activity["id"]?.stringValue, let definition = activity["definition"], definition.objectValue != nil else { return nil }
            return (id, definition)
        }
    }
}

/// The canonical definition of an Activity as the LRS keeps it (xAPI-Communication 2.5): the
/// definitions statements carried, merged in the order stored. A later statement wins each
/// property it sets; language maps (`name`, `description`) and `extensions` merge key by key,
/// so a statement in English does not erase the French name.
public enum ActivityDefinition {
    static let mergedByKey: Set<String> = ["name", "description", "extensions"]

    /// `new` merged over `current` (nil: no definition yet).
    public static func merge(_ current: JSONValue?, _ new: JSONValue) -> JSONValue {
        guard case .object(var members)? = current, case .object(let incoming) = new else { return new }
        for (key, value) in incoming {
            if mergedByKey.contains(key), case .object(var old)? = members[key], case .object(let added) = value {
                for (k, v) in added { old[k] = v }
                members[key] = .object(old)
            } else {
                members[key] = value
            }
        }
        return .object(members)
    }
}

/// The Person object of `GET /xapi/agents` (xAPI-Communication 2.6): every name and identifier
/// the LRS knows for one person, each a list.
public enum PersonObject {
    /// Combines agents known to be the same person (the one asked for first).
    public static func person(of agents: [JSONValue]) -> JSONValue {
        var lists: [String: [JSONValue]] = [:]
        func add(_ key: String, _ value: JSONValue?) {
            guard let value, !(lists[key] ?? []).contains(value) else { return }
            lists[key, default: []].append(value)
        }
        for agent in agents {
            add("name", agent["name"])
            add("mbox", agent["mbox"])
            add("mbox_sha1sum", agent["mbox_sha1sum"])
            add("openid", agent["openid"])
            add("account", agent["account"])
        }
        var members: [String: JSONValue] = ["objectType": "Person"]
        for (key, values) in lists { members[key] = .array(values) }
        return .object(members)
    }
}
