import RelaisCore

/// Checks a statement against xAPI 1.0.3 (xAPI-Data section 2) before the LRS stores it.
///
/// Every refusal is a `XAPIError.badRequest` whose message starts with the path of the field
/// (`statement.verb.id is not an IRI`, `statements[3].actor …` in a batch): the author of the
/// content reads it in the browser console and knows what to fix.
public enum StatementValidator {
    /// The verb whose statements void another (xAPI-Data 2.3.2).
    public static let voidedVerb = "http://adlnet.gov/expapi/verbs/voided"

    static let statementKeys: Set<String> = [
        "id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments",
    ]
    static let subStatementKeys: Set<String> = ["objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"]

    /// Validates one statement; `path` names it in messages.
    public static func validate(_ statement: JSONValue, path: String = "statement") throws(XAPIError) {
        let members = try object(statement, path, allowed: statementKeys)
        if let id = members["id"] { try uuid(id, "\(path).id") }
        try validateCore(members, path: path, inSubStatement: false)
        if let stored = members["stored"] { try timestamp(stored, "\(path).stored") }
        if let authority = members["authority"] { try AgentValidator.actor(authority, "\(path).authority") }
        if let version = members["version"] {
            guard let text = version.stringValue, text.hasPrefix("1.0."), text.utf8.count > 4,
                text.utf8.dropFirst(4).allSatisfy(XAPIFormat.isDigit)
            else { throw bad("\(path).version", "is not 1.0.x (this LRS speaks xAPI 1.0.3)") }
        }
    }

    /// What statements and sub-statements share: actor, verb, object, result, context,
    /// timestamp, attachments.
    static func validateCore(_ members: [String: JSONValue], path: String, inSubStatement: Bool) throws(XAPIError) {
        guard let actor = members["actor"] else { throw bad("\(path).actor", "is required") }
        try AgentValidator.actor(actor, "\(path).actor")
        guard let verb = members["verb"] else { throw bad("\(path).verb", "is required") }
        let verbMembers = try object(verb, "\(path).verb", allowed: ["id", "display"])
        guard let verbId = verbMembers["id"] else { throw bad("\(path).verb.id", "is required") }
        try iri(verbId, "\(path).verb.id")
        if let display = verbMembers["display"] { try languageMap(display, "\(path).verb.display") }
        guard let object = members["object"] else { throw bad("\(path).object", "is required") }
        let objectType = try ObjectValidator.object(object, "\(path).object", inSubStatement: inSubStatement)
        if verbId.stringValue == voidedVerb, objectType != "StatementRef" {
            throw bad("\(path).object", "of a voiding statement must be a StatementRef")
        }
        if let result = members["result"] { try ResultValidator.result(result, "\(path).result") }
        if let context = members["context"] {
            try ContextValidator.context(context, "\(path).context", objectIsActivity: objectType == "Activity")
        }
        if let timestamp = members["timestamp"] { try self.timestamp(timestamp, "\(path).timestamp") }
        if let attachments = members["attachments"] { try AttachmentValidator.attachments(attachments, "\(path).attachments") }
    }

    /// Validates a sub-statement (an object with objectType SubStatement).
    static func subStatement(_ value: JSONValue, _ path: String) throws(XAPIError) {
        let members = try object(value, path, allowed: subStatementKeys)
        try validateCore(members, path: path, inSubStatement: true)
    }

    // MARK: Shared checks

    static func bad(_ path: String, _ problem: String) -> XAPIError { .badRequest("\(path) \(problem)") }

    /// The members of an object, refusing keys outside `allowed` (xAPI forbids unknown properties).
    static func object(_ value: JSONValue, _ path: String, allowed: Set<String>) throws(XAPIError) -> [String: JSONValue] {
        guard let members = value.objectValue else { throw bad(path, "must be a JSON object") }
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw bad("\(path).\(unknown)", "is not an xAPI property here")
        }
        return members
    }

    @discardableResult
    static func string(_ value: JSONValue, _ path: String) throws(XAPIError) -> String {
        guard let text = value.stringValue else { throw bad(path, "must be a string") }
        return text
    }

    static func iri(_ value: JSONValue, _ path: String) throws(XAPIError) {
        guard let text = value.stringValue, XAPIFormat.isIRI(text) else { throw bad(path, "is not an IRI") }
    }

    static func uuid(_ value: JSONValue, _ path: String) throws(XAPIError) {
        guard let text = value.stringValue, XAPIFormat.isUUID(text) else { throw bad(path, "is not a UUID") }
    }

    static func bool(_ value: JSONValue, _ path: String) throws(XAPIError) {
        guard value.boolValue != nil else { throw bad(path, "must be true or false") }
    }

    static func timestamp(_ value: JSONValue, _ path: String) throws(XAPIError) {
        guard let text = value.stringValue, XAPIFormat.timestampMilliseconds(text) != nil else {
            throw bad(path, "is not an ISO 8601 date-time with a time zone (e.g. 2026-09-01T08:30:00.000Z)")
        }
    }

    /// `{"fr-FR": "…"}`: RFC 5646 tags to strings.
    static func languageMap(_ value: JSONValue, _ path: String) throws(XAPIError) {
        guard let members = value.objectValue else { throw bad(path, "must be a language map (an object)") }
        for (tag, text) in members.sorted(by: { $0.key < $1.key }) {
            guard XAPIFormat.isLanguageTag(tag) else { throw bad("\(path).\(tag)", "is not an RFC 5646 language tag") }
            guard text.stringValue != nil else { throw bad("\(path).\(tag)", "must be a string") }
        }
    }

    /// Extensions: an object whose keys are IRIs, values any JSON.
    static func extensions(_ value: JSONValue, _ path: String) throws(XAPIError) {
        guard let members = value.objectValue else { throw bad(path, "must be an object") }
        if let key = members.keys.sorted().first(where: { !XAPIFormat.isIRI($0) }) {
            throw bad("\(path).\(key)", "is not an IRI (extension keys must be IRIs)")
        }
    }
}
