import RelaisCore

/// `result` (xAPI-Data 2.4.5): score, success, completion, response, duration, extensions.
enum ResultValidator {
    static func result(_ value: JSONValue, _ path: String) throws(XAPIError) {
        let members = try StatementValidator.object(
            value, path, allowed: ["score", "success", "completion", "response", "duration", "extensions"])
        if let score = members["score"] { try self.score(score, "\(path).score") }
        if let success = members["success"] { try StatementValidator.bool(success, "\(path).success") }
        if let completion = members["completion"] { try StatementValidator.bool(completion, "\(path).completion") }
        if let response = members["response"] { try StatementValidator.string(response, "\(path).response") }
        if let duration = members["duration"] {
            guard let text = duration.stringValue, XAPIFormat.isDuration(text) else {
                throw StatementValidator.bad("\(path).duration", "is not an ISO 8601 duration (e.g. PT1M30S)")
            }
        }
        if let extensions = members["extensions"] { try StatementValidator.extensions(extensions, "\(path).extensions") }
    }

    /// scaled in −1…1; raw between min and max; min below max.
    static func score(_ value: JSONValue, _ path: String) throws(XAPIError) {
        let members = try StatementValidator.object(value, path, allowed: ["scaled", "raw", "min", "max"])
        var numbers: [String: Double] = [:]
        for key in ["scaled", "raw", "min", "max"] {
            guard let member = members[key] else { continue }
            guard let number = member.doubleValue else { throw StatementValidator.bad("\(path).\(key)", "must be a number") }
            numbers[key] = number
        }
        if let scaled = numbers["scaled"], !(-1...1).contains(scaled) {
            throw StatementValidator.bad("\(path).scaled", "must be between -1 and 1")
        }
        if let min = numbers["min"], let max = numbers["max"], min >= max {
            throw StatementValidator.bad("\(path).min", "must be less than \(path).max")
        }
        if let raw = numbers["raw"] {
            if let min = numbers["min"], raw < min { throw StatementValidator.bad("\(path).raw", "must not be less than \(path).min") }
            if let max = numbers["max"], raw > max { throw StatementValidator.bad("\(path).raw", "must not be more than \(path).max") }
        }
    }
}

/// `context` (xAPI-Data 2.4.6).
enum ContextValidator {
    static let keys: Set<String> = [
        "registration", "instructor", "team", "contextActivities", "revision", "platform", "language", "statement", "extensions",
    ]

    static func context(_ value: JSONValue, _ path: String, objectIsActivity: Bool) throws(XAPIError) {
        let members = try StatementValidator.object(value, path, allowed: keys)
        if let registration = members["registration"] { try StatementValidator.uuid(registration, "\(path).registration") }
        if let instructor = members["instructor"] { try AgentValidator.actor(instructor, "\(path).instructor") }
        if let team = members["team"] {
            guard team["objectType"] == "Group" else { throw StatementValidator.bad("\(path).team", "must be a Group") }
            try AgentValidator.group(team, "\(path).team")
        }
        if let activities = members["contextActivities"] { try contextActivities(activities, "\(path).contextActivities") }
        for key in ["revision", "platform"] {
            guard let member = members[key] else { continue }
            try StatementValidator.string(member, "\(path).\(key)")
            if !objectIsActivity { throw StatementValidator.bad("\(path).\(key)", "is only allowed when the object is an Activity") }
        }
        if let language = members["language"] {
            guard let tag = language.stringValue, XAPIFormat.isLanguageTag(tag) else {
                throw StatementValidator.bad("\(path).language", "is not an RFC 5646 language tag")
            }
        }
        if let statement = members["statement"] {
            guard statement["objectType"] == "StatementRef" else { throw StatementValidator.bad("\(path).statement", "must be a StatementRef") }
            _ = try ObjectValidator.object(statement, "\(path).statement", inSubStatement: true)
        }
        if let extensions = members["extensions"] { try StatementValidator.extensions(extensions, "\(path).extensions") }
    }

    /// parent, grouping, category, other: an Activity or an array of Activities each.
    static func contextActivities(_ value: JSONValue, _ path: String) throws(XAPIError) {
        let members = try StatementValidator.object(value, path, allowed: ["parent", "grouping", "category", "other"])
        for (key, member) in members.sorted(by: { $0.key < $1.key }) {
            if let list = member.arrayValue {
                for (i, activity) in list.enumerated() { try self.activity(activity, "\(path).\(key)[\(i)]") }
            } else {
                try activity(member, "\(path).\(key)")
            }
        }
    }

    static func activity(_ value: JSONValue, _ path: String) throws(XAPIError) {
        if let type = value["objectType"], type != "Activity" { throw StatementValidator.bad("\(path).objectType", "must be Activity") }
        try ObjectValidator.activity(value, path)
    }
}

/// `attachments` (xAPI-Data 2.4.11). One without `fileUrl` has its bytes in a part of a
/// multipart/mixed request, which the LRS checks against the statement (StatementAttachments).
enum AttachmentValidator {
    static func attachments(_ value: JSONValue, _ path: String) throws(XAPIError) {
        guard let list = value.arrayValue else { throw StatementValidator.bad(path, "must be an array") }
        for (i, attachment) in list.enumerated() {
            let at = "\(path)[\(i)]"
            let members = try StatementValidator.object(
                attachment, at, allowed: ["usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"])
            guard let usageType = members["usageType"] else { throw StatementValidator.bad("\(at).usageType", "is required") }
            try StatementValidator.iri(usageType, "\(at).usageType")
            guard let display = members["display"] else { throw StatementValidator.bad("\(at).display", "is required") }
            try StatementValidator.languageMap(display, "\(at).display")
            if let description = members["description"] { try StatementValidator.languageMap(description, "\(at).description") }
            guard let contentType = members["contentType"] else { throw StatementValidator.bad("\(at).contentType", "is required") }
            try StatementValidator.string(contentType, "\(at).contentType")
            guard case .integer(let length)? = members["length"], length >= 0 else {
                throw StatementValidator.bad("\(at).length", "must be a non-negative integer")
            }
            guard let sha2 = members["sha2"] else { throw StatementValidator.bad("\(at).sha2", "is required") }
            try StatementValidator.string(sha2, "\(at).sha2")
            // Without fileUrl the bytes come in a multipart part (StatementAttachments.match).
            if let fileUrl = members["fileUrl"] { try StatementValidator.iri(fileUrl, "\(at).fileUrl") }
        }
    }
}
