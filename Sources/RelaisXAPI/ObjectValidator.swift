import RelaisCore

/// The object of a statement (xAPI-Data 2.4.4): an Activity (the default), an Agent or Group,
/// a StatementRef or a SubStatement.
enum ObjectValidator {
    static let activityKeys: Set<String> = ["objectType", "id", "definition"]
    static let definitionKeys: Set<String> = [
        "name", "description", "type", "moreInfo", "extensions", "interactionType", "correctResponsesPattern",
        "choices", "scale", "source", "target", "steps",
    ]
    static let interactionTypes: Set<String> = [
        "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other",
    ]

    /// Validates the object and returns its objectType.
    static func object(_ value: JSONValue, _ path: String, inSubStatement: Bool) throws(XAPIError) -> String {
        let type: String
        switch value["objectType"] {
        case nil: type = "Activity"
        case .string(let t)?: type = t
        default: throw StatementValidator.bad("\(path).objectType", "must be a string")
        }
        switch type {
        case "Activity": try activity(value, path)
        case "Agent", "Group": try AgentValidator.actor(value, path)
        case "StatementRef":
            let members = try StatementValidator.object(value, path, allowed: ["objectType", "id"])
            guard let id = members["id"] else { throw StatementValidator.bad("\(path).id", "is required") }
            try StatementValidator.uuid(id, "\(path).id")
        case "SubStatement":
            guard !inSubStatement else { throw StatementValidator.bad(path, "cannot be a SubStatement inside a SubStatement") }
            try StatementValidator.subStatement(value, path)
        default:
            throw StatementValidator.bad("\(path).objectType", "must be Activity, Agent, Group, StatementRef or SubStatement")
        }
        return type
    }

    static func activity(_ value: JSONValue, _ path: String) throws(XAPIError) {
        let members = try StatementValidator.object(value, path, allowed: activityKeys)
        guard let id = members["id"] else { throw StatementValidator.bad("\(path).id", "is required") }
        try StatementValidator.iri(id, "\(path).id")
        if let definition = members["definition"] { try self.definition(definition, "\(path).definition") }
    }

    static func definition(_ value: JSONValue, _ path: String) throws(XAPIError) {
        let members = try StatementValidator.object(value, path, allowed: definitionKeys)
        if let name = members["name"] { try StatementValidator.languageMap(name, "\(path).name") }
        if let description = members["description"] { try StatementValidator.languageMap(description, "\(path).description") }
        if let type = members["type"] { try StatementValidator.iri(type, "\(path).type") }
        if let moreInfo = members["moreInfo"] { try StatementValidator.iri(moreInfo, "\(path).moreInfo") }
        if let extensions = members["extensions"] { try StatementValidator.extensions(extensions, "\(path).extensions") }
        if let interaction = members["interactionType"] {
            guard let text = interaction.stringValue, interactionTypes.contains(text) else {
                throw StatementValidator.bad("\(path).interactionType", "must be one of \(interactionTypes.sorted().joined(separator: ", "))")
            }
        } else if let stray = ["correctResponsesPattern", "choices", "scale", "source", "target", "steps"].first(where: { members[$0] != nil }) {
            throw StatementValidator.bad("\(path).\(stray)", "needs an interactionType")
        }
        if let pattern = members["correctResponsesPattern"] {
            guard let list = pattern.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                throw StatementValidator.bad("\(path).correctResponsesPattern", "must be an array of strings")
            }
        }
        for key in ["choices", "scale", "source", "target", "steps"] {
            guard let components = members[key] else { continue }
            guard let list = components.arrayValue else { throw StatementValidator.bad("\(path).\(key)", "must be an array") }
            var seen: Set<String> = []
            for (i, component) in list.enumerated() {
                let fields = try StatementValidator.object(component, "\(path).\(key)[\(i)]", allowed: ["id", "description"])
                guard let id = fields["id"]?.stringValue else { throw StatementValidator.bad("\(path).\(key)[\(i)].id", "must be a string") }
                guard seen.insert(id).inserted else { throw StatementValidator.bad("\(path).\(key)[\(i)].id", "repeats \"\(id)\"") }
                if let description = fields["description"] {
                    try StatementValidator.languageMap(description, "\(path).\(key)[\(i)].description")
                }
            }
        }
    }
}
