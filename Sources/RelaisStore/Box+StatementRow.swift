import Foundation
import GRDB
import RelaisCore
import RelaisXAPI

/// A statement ready for its INSERT: validated, stamped, serialised, its index columns extracted.
struct StatementRow {
    let id: String
    let path: String
    let voids: String?
    let arguments: StatementArguments
    /// `(kind, key)` rows of `statementRelation`: the Activity ids and agent keys it names
    /// beyond its indexed columns (activityId, actorKey, objectAgentKey).
    let relations: [(kind: String, key: String)]
    /// The Activity definitions it carries, to merge into `activity`.
    let definitions: [(id: String, definition: JSONValue)]

    /// What `statementRelation` holds for a statement: what `related_activities` and
    /// `related_agents` reach that the statement's own columns do not (most statements: their
    /// authority and parent activity), so ingest writes as few rows as it can.
    static func relations(of statement: JSONValue) -> [(kind: String, key: String)] {
        let object = statement["object"]
        let objectType = object?["objectType"]?.stringValue ?? "Activity"
        let activity = objectType == "Activity" ? object?["id"]?.stringValue : nil
        let indexedAgents = [statement["actor"], objectType == "Agent" || objectType == "Group" ? object : nil].compactMap { $0.flatMap(AgentIdentity.key(of:)) }
        return StatementRelations.activityIds(in: statement).filter { $0 != activity }.map { ("activity", $0) }
            + StatementRelations.agentKeys(in: statement).filter { !indexedAgents.contains($0) }.map { ("agent", $0) }
    }

    /// "statement" alone, "statements[i]" in a batch: how messages name a statement.
    static func path(_ index: Int, of count: Int) -> String {
        count == 1 ? "statement" : "statements[\(index)]"
    }

    /// Validates every statement first, so a bad one anywhere refuses the batch before any write;
    /// two statements of one batch with the same id are refused too (which one would win?).
    static func prepare(_ statements: [JSONValue], authority: JSONValue, storedAt: Int64, credential: String?) throws -> [StatementRow] {
        guard !statements.isEmpty else { throw XAPIError.badRequest("statements must not be empty") }
        var seen: [String: Int] = [:]
        var rows: [StatementRow] = []
        rows.reserveCapacity(statements.count)
        let stored = JSONValue.string(XAPIFormat.timestamp(milliseconds: storedAt))
        for (i, statement) in statements.enumerated() {
            let path = path(i, of: statements.count)
            try StatementValidator.validate(statement, path: path)
            let id = statement["id"]?.stringValue ?? StatementID.random()
            if let first = seen.updateValue(i, forKey: id) {
                throw XAPIError.badRequest("\(path).id repeats \(Self.path(first, of: statements.count)).id in the same batch")
            }
            guard case .object(var members) = statement else { continue }
            members["id"] = .string(id)
            members["stored"] = stored
            if members["timestamp"] == nil { members["timestamp"] = stored }
            members["authority"] = authority
            members["version"] = "1.0.3"
            rows.append(StatementRow(id: id, path: path, members: members, storedAt: storedAt, credential: credential))
        }
        return rows
    }

    init(id: String, path: String, members: [String: JSONValue], storedAt: Int64, credential: String?) {
        self.id = id
        self.path = path
        let object = members["object"]
        let objectType = object?["objectType"]?.stringValue ?? "Activity"
        let voids = members["verb"]?["id"]?.stringValue == StatementValidator.voidedVerb ? object?["id"]?.stringValue : nil
        self.voids = voids
        let statement = JSONValue.object(members)
        relations = Self.relations(of: statement)
        definitions = StatementRelations.definitions(in: statement)
        let body = Data(statement.serialized())
        arguments = [
            id, body, storedAt, members["verb"]?["id"]?.stringValue,
            objectType == "Activity" ? object?["id"]?.stringValue : nil,
            members["context"]?["registration"]?.stringValue?.lowercased(),
            members["actor"].flatMap(AgentIdentity.key(of:)),
            objectType == "Agent" || objectType == "Group" ? object.flatMap(AgentIdentity.key(of:)) : nil,
            voids, credential,
        ]
    }
}
