import Foundation
import Hummingbird
import RelaisContent
import RelaisCore
import RelaisStore
import RelaisXAPI

/// `/xapi/statements` (xAPI-Communication 2.1): PUT one, POST one or a batch (atomic), as JSON
/// or multipart/mixed with attachments; GET one or a filtered page with `more`, in any `format`,
/// with `attachments` on demand.
struct StatementsEndpoint {
    let box: Box
    /// Told of every batch once it is stored (the launch side writes cmi5 `satisfied` from it).
    let stored: @Sendable ([JSONValue]) -> Void
    let gate: BodyGate
    /// The bundles' own origins: a launch's credential is taken from its bundle's pages only.
    let origins: BundleOriginMap

    static let queryParameters: Set<String> = [
        "agent", "verb", "activity", "registration", "since", "until", "limit", "ascending", "format", "attachments",
        "related_activities", "related_agents",
    ]

    /// PUT ?statementId=…: 204, also when the same statement was already stored.
    func put(_ request: Request) async throws -> Response {
        let xapi = try XAPIRequest(request: request, box: box, gate: gate, origins: origins)
        try xapi.checkParameters(["statementId"])
        let scope = try xapi.authenticate()
        let id = try xapi.required("statementId")
        guard XAPIFormat.isUUID(id) else { throw XAPIError.badRequest("statementId is not a UUID") }
        try await withStatements(xapi) { json in
            guard json.objectValue != nil else { throw XAPIError.badRequest("statement must be a JSON object") }
            if let sent = json["id"], sent != .string(id) {
                throw XAPIError.badRequest("statement.id differs from the statementId parameter")
            }
            return [json.setting("id", to: .string(id))]
        } store: { statements, attachments in
            try box.storeStatements(statements, scope: scope, attachments: attachments)
        }
        return XAPIResponse.noContent()
    }

    /// POST: one statement or an array, stored all or none; 200 with the ids in order.
    func post(_ request: Request) async throws -> Response {
        let xapi = try XAPIRequest(request: request, box: box, gate: gate, origins: origins)
        try xapi.checkParameters([])
        let scope = try xapi.authenticate()
        let ids = try await withStatements(xapi) { json in
            switch json {
            case .array(let list): return list
            case .object(let one): return [.object(one)]
            default: throw XAPIError.badRequest("statement must be a JSON object, or an array of them")
            }
        } store: { statements, attachments in
            try box.storeStatements(statements, scope: scope, attachments: attachments)
        }
        return XAPIResponse.json(.ok, JSONValue.array(ids.map(JSONValue.string)).serialized())
    }

    /// Reads the statements of a PUT or POST, as JSON or as multipart/mixed with attachment
    /// parts (xAPI-Communication 1.5.2), checks attachments and signatures, and stores them, all
    /// under the body limits and the large-body gate (parsing, storing and telling `stored` count
    /// as holding it, so the parsed batch is freed before the gate gives memory back).
    @discardableResult
    func withStatements(
        _ xapi: XAPIRequest, _ statementsOf: @escaping @Sendable (JSONValue) throws -> [JSONValue],
        store: @escaping @Sendable ([JSONValue], [StatementAttachment]) throws -> [String]
    ) async throws -> [String] {
        let stored = self.stored
        let contentType = xapi.request.headers[.contentType] ?? "application/json"
        let multipart = contentType.lowercased().hasPrefix("multipart/")
        let boundary = Multipart.boundary(ofContentType: contentType)
        if multipart {
            guard contentType.lowercased().hasPrefix("multipart/mixed") else {
                throw XAPIError.badRequest("statements with attachments are sent as multipart/mixed, not \(contentType)")
            }
            guard boundary != nil else { throw XAPIError.badRequest("Content-Type multipart/mixed needs a boundary parameter") }
        }
        return try await xapi.withBody(
            limit: multipart ? XAPIBodyLimits.maxMultipart : XAPIBodyLimits.maxJSON, what: multipart ? "the multipart body" : "the statements body"
        ) { body in
            var parts: [MultipartPart] = []
            let json: JSONValue
            if let boundary, multipart {
                parts = try Multipart.parse(body, boundary: boundary)
                guard let first = parts.first else { throw XAPIError.badRequest("the multipart body has no part: the first must be the statements (application/json)") }
                guard (first.headers["content-type"] ?? "").lowercased().hasPrefix("application/json") else {
                    throw XAPIError.badRequest("the first part of a multipart statement request must be application/json (the statements)")
                }
                json = try JSONValue(parsing: first.body)
                parts.removeFirst()
            } else {
                json = try JSONValue(parsing: body)
            }
            let statements = try statementsOf(json)
            let matched = try StatementAttachments.match(statements, parts: parts)
            let attachments = matched.sorted { $0.key < $1.key }.map { hash, part in
                StatementAttachment(sha2: hash, contentType: part.headers["content-type"] ?? "application/octet-stream", content: part.body)
            }
            let ids = try store(statements, attachments)
            stored(statements)
            return ids
        }
    }

    /// GET: ?statementId / ?voidedStatementId for one; filters or ?more for a page. `format`
    /// and `attachments=true` (multipart/mixed with the attachment parts) shape the answer.
    func get(_ request: Request) async throws -> Response {
        let xapi = try XAPIRequest(request: request, box: box, gate: gate, origins: origins)
        let scope = try xapi.authenticate()
        let consistent: HTTPFields = [XAPIHeaders.consistentThrough: box.consistentThrough()]
        let languages = LanguagePreference.parse(request.headers[.acceptLanguage])
        for (name, voided) in [("statementId", false), ("voidedStatementId", true)] {
            guard let id = xapi.parameter(name) else { continue }
            try xapi.checkParameters([name, "format", "attachments"])
            let format = try self.format(xapi)
            let attachments = try flag(xapi, "attachments")
            guard let body = try box.statementBody(id: id, voided: voided, scope: scope) else {
                throw XAPIError.notFound("no \(voided ? "voided " : "")statement \(id)")
            }
            if format == .exact, !attachments { return XAPIResponse.json(.ok, body, headers: consistent) }
            let statement = try shaped([body], format: format, languages: languages)[0]
            return try answer(statement.serialized(), statements: [statement], attachments: attachments, headers: consistent)
        }
        var query: StatementQuery
        if let more = xapi.parameter("more") {
            try xapi.checkParameters(["more"])
            guard let cursor = MoreCursor.decode(more) else { throw XAPIError.badRequest("more is not a cursor this LRS gave") }
            query = cursor
        } else {
            try xapi.checkParameters(Self.queryParameters)
            query = try self.query(xapi)
        }
        let format = StatementFormat(rawValue: query.format) ?? .exact
        var page = try box.statements(matching: query, scope: scope)
        if query.attachments { page = try box.limitingAttachments(page, of: query, maxBytes: XAPIBodyLimits.maxAttachmentAnswer) }
        var out: [UInt8] = Array(#"{"more":"#.utf8)
        JSONValue.string(page.more.map { "/xapi/statements?more=" + MoreCursor.encode($0) } ?? "").write(to: &out)
        out.append(contentsOf: #","statements":["#.utf8)
        var statements: [JSONValue] = []
        if format == .exact, !query.attachments {
            for (i, body) in page.statements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: body)
            }
        } else {
            statements = try shaped(page.statements, format: format, languages: languages)
            for (i, statement) in statements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                statement.write(to: &out)
            }
        }
        out.append(contentsOf: "]}".utf8)
        return try answer(out, statements: statements, attachments: query.attachments, headers: consistent)
    }

    /// Stored bodies in `format` (canonical: with the LRS's Activity definitions).
    func shaped(_ bodies: [[UInt8]], format: StatementFormat, languages: [String]) throws -> [JSONValue] {
        let statements = try bodies.map { try JSONValue(parsing: $0) }
        guard format != .exact else { return statements }
        let definitions = format == .canonical ? try box.activityDefinitions(ids: statements.flatMap(StatementRelations.activityIds(in:))) : [:]
        return statements.map { format.apply($0, languages: languages, definition: { definitions[$0] }) }
    }

    /// JSON, or with `attachments` multipart/mixed: the JSON, then each attachment the box holds.
    func answer(_ json: [UInt8], statements: [JSONValue], attachments: Bool, headers: HTTPFields) throws -> Response {
        guard attachments else { return XAPIResponse.json(.ok, json, headers: headers) }
        let hashes = statements.flatMap { StatementAttachments.hashes($0) + StatementAttachments.requiredHashes($0) }
        var parts: [(headers: [(String, String)], body: ArraySlice<UInt8>)] = [([("Content-Type", "application/json")], json[...])]
        for attachment in try box.attachments(sha2: hashes) {
            parts.append(
                ([("Content-Type", attachment.contentType), ("Content-Transfer-Encoding", "binary"), ("X-Experience-API-Hash", attachment.sha2)],
                    attachment.content))
        }
        let boundary = Multipart.randomBoundary()
        var fields = headers
        fields[.contentType] = "multipart/mixed; boundary=\(boundary)"
        fields[.cacheControl] = "no-store"
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: Multipart.render(parts, boundary: boundary))))
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
        query.relatedActivities = try flag(xapi, "related_activities")
        query.relatedAgents = try flag(xapi, "related_agents")
        query.attachments = try flag(xapi, "attachments")
        query.format = try format(xapi).rawValue
        return query
    }

    func format(_ xapi: XAPIRequest) throws(XAPIError) -> StatementFormat {
        guard let text = xapi.parameter("format") else { return .exact }
        guard let format = StatementFormat(rawValue: text) else { throw .badRequest("format must be exact, ids or canonical") }
        return format
    }

    /// `true` or `false` (any case: Python clients send `True`).
    func flag(_ xapi: XAPIRequest, _ name: String) throws(XAPIError) -> Bool {
        switch xapi.parameter(name)?.lowercased() {
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
