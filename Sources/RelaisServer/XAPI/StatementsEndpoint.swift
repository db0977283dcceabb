import Foundation
import Hummingbird
import RelaisCore
import RelaisStore
import RelaisXAPI

/// `/xapi/statements` (xAPI-Communication 2.1): PUT one, POST one or a batch (atomic), GET one
/// or a filtered page with `more`.
struct StatementsEndpoint {
    let box: Box
    /// Told of every batch once it is stored (the launch side writes cmi5 `satisfied` from it).
    let stored: @Sendable ([JSONValue]) -> Void

    static let queryParameters: Set<String> = [
        "agent", "verb", "activity", "registration", "since", "until", "limit", "ascending", "format", "attachments",
        "related_activities", "related_agents",
    ]

    /// PUT ?statementId=…: 204, also when the same statement was already stored.
    func put(_ request: Request) async throws -> Response {
        let xapi = XAPIRequest(request: request, box: box)
        try xapi.checkParameters(["statementId"])
        let scope = try xapi.authenticate()
        let id = try xapi.required("statementId")
        guard XAPIFormat.isUUID(id) else { throw XAPIError.badRequest("statementId is not a UUID") }
        var statement = try await xapi.json()
        guard statement.objectValue != nil else { throw XAPIError.badRequest("statement must be a JSON object") }
        if let sent = statement["id"], sent != .string(id) {
            throw XAPIError.badRequest("statement.id differs from the statementId parameter")
        }
        statement = statement.setting("id", to: .string(id))
        try box.storeStatements([statement], scope: scope)
        stored([statement])
        return XAPIResponse.noContent()
    }

    /// POST: one statement or an array, stored all or none; 200 with the ids in order.
    func post(_ request: Request) async throws -> Response {
        let xapi = XAPIRequest(request: request, box: box)
        try xapi.checkParameters([])
        let scope = try xapi.authenticate()
        let statements: [JSONValue]
        switch try await xapi.json() {
        case .array(let list): statements = list
        case .object(let one): statements = [.object(one)]
        default: throw XAPIError.badRequest("statement must be a JSON object, or an array of them")
        }
        let ids = try box.storeStatements(statements, scope: scope)
        stored(statements)
        return XAPIResponse.json(.ok, JSONValue.array(ids.map(JSONValue.string)).serialized())
    }

    /// GET: ?statementId / ?voidedStatementId for one; filters or ?more for a page.
    func get(_ request: Request) async throws -> Response {
        let xapi = XAPIRequest(request: request, box: box)
        let scope = try xapi.authenticate()
        let consistent: HTTPFields = [XAPIHeaders.consistentThrough: box.consistentThrough()]
        for (name, voided) in [("statementId", false), ("voidedStatementId", true)] {
            guard let id = xapi.parameter(name) else { continue }
            try xapi.checkParameters([name, "format", "attachments"])
            guard let body = try box.statementBody(id: id, voided: voided, scope: scope) else {
                throw XAPIError.notFound("no \(voided ? "voided " : "")statement \(id)")
            }
            return XAPIResponse.json(.ok, body, headers: consistent)
        }
        let query: StatementQuery
        if let more = xapi.parameter("more") {
            try xapi.checkParameters(["more"])
            guard let cursor = MoreCursor.decode(more) else { throw XAPIError.badRequest("more is not a cursor this LRS gave") }
            query = cursor
        } else {
            try xapi.checkParameters(Self.queryParameters)
            query = try self.query(xapi)
        }
        let page = try box.statements(matching: query, scope: scope)
        var out: [UInt8] = Array(#"{"more":"#.utf8)
        JSONValue.string(page.more.map { "/xapi/statements?more=" + MoreCursor.encode($0) } ?? "").write(to: &out)
        out.append(contentsOf: #","statements":["#.utf8)
        for (i, body) in page.statements.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: body)
        }
        out.append(contentsOf: "]}".utf8)
        return XAPIResponse.json(.ok, out, headers: consistent)
    }

    func query(_ xapi: XAPIRequest) throws -> StatementQuery {
        var query = StatementQuery()
        if let agent = xapi.parameter("agent") { query.agentKey = try AgentIdentity.agentParameter(agent).key }
        if xapi.parameter("verb") != nil { query.verbId = try xapi.iri("verb") }
        if xapi.parameter("activity") != nil { query.activityId = try xapi.iri("activity") }
        query.registration = try xapi.registration()
        query.since = try xapi.time("since")
        query.until = try xapi.time("until")
        if let limit = xapi.parameter("limit") {
            guard let value = Int(limit), value >= 0 else { throw XAPIError.badRequest("limit must be a non-negative integer") }
            query.limit = value
        }
        query.ascending = try flag(xapi, "ascending")
        for name in ["related_activities", "related_agents", "attachments"] where try flag(xapi, name) {
            throw XAPIError.badRequest("\(name)=true is not supported by this LRS")
        }
        if let format = xapi.parameter("format"), !["exact", "ids", "canonical"].contains(format) {
            throw XAPIError.badRequest("format must be exact, ids or canonical")
        }
        return query
    }

    func flag(_ xapi: XAPIRequest, _ name: String) throws(XAPIError) -> Bool {
        switch xapi.parameter(name) {
        case nil, "false": return false
        case "true": return true
        default: throw .badRequest("\(name) must be true or false")
        }
    }
}

/// The opaque `more` cursor: the next page's query as base64url JSON. It carries no scope: the
/// credential of the request that follows it decides what it may read.
enum MoreCursor {
    static func encode(_ query: StatementQuery) -> String {
        Data(query.cursor.serialized()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> StatementQuery? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let value = try? JSONValue(parsing: data) else { return nil }
        return StatementQuery(cursor: value)
    }
}
