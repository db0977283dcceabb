import Crypto
import Foundation
import GRDB
import RelaisCore
import RelaisXAPI

/// A state or agent profile document as stored (xAPI-Communication 2.3 and 2.6).
public struct XAPIDocument: Sendable, Equatable {
    public var body: [UInt8]
    public var contentType: String
    /// SHA-1 of the body in hex, unquoted (the route quotes it in `ETag`).
    public var etag: String
    /// ms since 1970.
    public var updated: Int64
}

/// If-Match / If-None-Match of a document write (xAPI-Communication 3.1), unquoted.
public struct DocumentPrecondition: Sendable, Equatable {
    public var ifMatch: String?
    public var ifNoneMatch: String?
    /// Agent profiles: overwriting an existing document without either header is a 409, so two
    /// clients cannot silently lose each other's writes.
    public var requiredToOverwrite: Bool

    public init(ifMatch: String? = nil, ifNoneMatch: String? = nil, requiredToOverwrite: Bool = false) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.requiredToOverwrite = requiredToOverwrite
    }

    /// Throws 412 (or 409) when the current document's tag does not meet the precondition.
    func check(current: String?) throws(XAPIError) {
        if let ifMatch, ifMatch != "*" ? ifMatch != current : current == nil {
            throw .preconditionFailed("If-Match \(ifMatch) does not match the document's ETag")
        }
        if let ifNoneMatch, current != nil, ifNoneMatch == "*" || ifNoneMatch == current {
            throw .preconditionFailed("If-None-Match \(ifNoneMatch): the document exists")
        }
        if requiredToOverwrite, current != nil, ifMatch == nil, ifNoneMatch == nil {
            throw .conflict("the document exists: send If-Match with its ETag (or If-None-Match: *) to write it")
        }
    }
}

/// Which document table, and the columns that identify one document in it.
struct DocumentAddress {
    let table: String
    let columns: [String]
    let values: [String]
    let idColumn: String

    var whereClause: String { columns.map { "\($0) = ?" }.joined(separator: " AND ") }

    static func state(activityId: String, agent: JSONValue, registration: String?) throws -> DocumentAddress {
        DocumentAddress(
            table: "stateDocument", columns: ["activityId", "agentKey", "registration"],
            values: [activityId, try agentKey(agent), registration?.lowercased() ?? ""], idColumn: "stateId")
    }

    static func profile(agent: JSONValue) throws -> DocumentAddress {
        DocumentAddress(table: "agentProfile", columns: ["agentKey"], values: [try agentKey(agent)], idColumn: "profileId")
    }

    static func activityProfile(activityId: String) -> DocumentAddress {
        DocumentAddress(table: "activityProfile", columns: ["activityId"], values: [activityId], idColumn: "profileId")
    }

    static func agentKey(_ agent: JSONValue) throws -> String {
        guard let key = AgentIdentity.key(of: agent) else { throw XAPIError.badRequest("agent must have an identifier (mbox, mbox_sha1sum, openid or account)") }
        return key
    }
}

extension Box {
    // MARK: State (xAPI-Communication 2.3)

    /// PUT (replace) or POST (`merge`: JSON objects merged, top-level keys of `body` winning).
    public func putState(
        activityId: String, agent: JSONValue, registration: String?, stateId: String, body: [UInt8], contentType: String, merge: Bool,
        precondition: DocumentPrecondition = .init(), now: Date = Date()
    ) throws {
        try putDocument(.state(activityId: activityId, agent: agent, registration: registration), id: stateId, body: body, contentType: contentType, merge: merge, precondition: precondition, now: now)
    }

    public func state(activityId: String, agent: JSONValue, registration: String?, stateId: String) throws -> XAPIDocument? {
        try document(.state(activityId: activityId, agent: agent, registration: registration), id: stateId)
    }

    /// Deletes one state document, or all of the activity, agent and registration when `stateId` is nil.
    public func deleteState(activityId: String, agent: JSONValue, registration: String?, stateId: String?, precondition: DocumentPrecondition = .init()) throws {
        try deleteDocument(.state(activityId: activityId, agent: agent, registration: registration), id: stateId, precondition: precondition)
    }

    /// The ids of the state documents, those updated after `since` (ms) when given.
    public func stateIds(activityId: String, agent: JSONValue, registration: String?, since: Int64?) throws -> [String] {
        try documentIds(.state(activityId: activityId, agent: agent, registration: registration), since: since)
    }

    // MARK: Agent profile (xAPI-Communication 2.6)

    public func putAgentProfile(
        agent: JSONValue, profileId: String, body: [UInt8], contentType: String, merge: Bool, precondition: DocumentPrecondition = .init(),
        now: Date = Date()
    ) throws {
        try putDocument(.profile(agent: agent), id: profileId, body: body, contentType: contentType, merge: merge, precondition: precondition, now: now)
    }

    public func agentProfile(agent: JSONValue, profileId: String) throws -> XAPIDocument? {
        try document(.profile(agent: agent), id: profileId)
    }

    public func deleteAgentProfile(agent: JSONValue, profileId: String, precondition: DocumentPrecondition = .init()) throws {
        try deleteDocument(.profile(agent: agent), id: profileId, precondition: precondition)
    }

    public func agentProfileIds(agent: JSONValue, since: Int64?) throws -> [String] {
        try documentIds(.profile(agent: agent), since: since)
    }

    // MARK: Activity profile (xAPI-Communication 2.7)

    /// PUT (replace; `precondition` usually requires If-Match or If-None-Match to overwrite) or
    /// POST (`merge` of JSON objects).
    public func putActivityProfile(
        activityId: String, profileId: String, body: [UInt8], contentType: String, merge: Bool, precondition: DocumentPrecondition = .init(),
        now: Date = Date()
    ) throws {
        try putDocument(
            .activityProfile(activityId: activityId), id: profileId, body: body, contentType: contentType, merge: merge, precondition: precondition,
            now: now)
    }

    /// One activity profile document, nil when there is none.
    public func activityProfile(activityId: String, profileId: String) throws -> XAPIDocument? {
        try document(.activityProfile(activityId: activityId), id: profileId)
    }

    /// Deletes one activity profile document (If-Match honoured).
    public func deleteActivityProfile(activityId: String, profileId: String, precondition: DocumentPrecondition = .init()) throws {
        try deleteDocument(.activityProfile(activityId: activityId), id: profileId, precondition: precondition)
    }

    /// The profile ids of an Activity, those updated after `since` (ms) when given.
    public func activityProfileIds(activityId: String, since: Int64?) throws -> [String] {
        try documentIds(.activityProfile(activityId: activityId), since: since)
    }

    // MARK: Shared

    private func putDocument(
        _ address: DocumentAddress, id: String, body: [UInt8], contentType: String, merge: Bool, precondition: DocumentPrecondition, now: Date
    ) throws {
        try database.write { db in
            let current = try Self.fetchDocument(address, id: id, db: db)
            try precondition.check(current: current?.etag)
            var body = body
            var contentType = contentType
            if merge, let current {
                body = try Self.merged(current.body, body)
                contentType = "application/json"
            } else if merge {
                _ = try Self.jsonObject(body, "the posted document")
            }
            let etag = Hex.encode(Insecure.SHA1.hash(data: body))
            let columns = address.columns + [address.idColumn, "body", "contentType", "etag", "updatedAt"]
            let values: [any DatabaseValueConvertible] = address.values + [id, Data(body), contentType, etag, Int64(now.timeIntervalSince1970 * 1000)]
            try db.execute(
                sql: "INSERT OR REPLACE INTO \(address.table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
                arguments: StatementArguments(values))
        }
    }

    private func document(_ address: DocumentAddress, id: String) throws -> XAPIDocument? {
        try database.read { db in try Self.fetchDocument(address, id: id, db: db) }
    }

    private func deleteDocument(_ address: DocumentAddress, id: String?, precondition: DocumentPrecondition) throws {
        try database.write { db in
            guard let id else {
                try db.execute(sql: "DELETE FROM \(address.table) WHERE \(address.whereClause)", arguments: StatementArguments(address.values))
                return
            }
            try precondition.check(current: try Self.fetchDocument(address, id: id, db: db)?.etag)
            try db.execute(
                sql: "DELETE FROM \(address.table) WHERE \(address.whereClause) AND \(address.idColumn) = ?",
                arguments: StatementArguments(address.values + [id]))
        }
    }

    private func documentIds(_ address: DocumentAddress, since: Int64?) throws -> [String] {
        try database.read { db in
            try String.fetchAll(
                db, sql: "SELECT \(address.idColumn) FROM \(address.table) WHERE \(address.whereClause) AND updatedAt > ? ORDER BY \(address.idColumn)",
                arguments: StatementArguments(address.values + [since ?? Int64.min]))
        }
    }

    private static func fetchDocument(_ address: DocumentAddress, id: String, db: Database) throws -> XAPIDocument? {
        let row = try Row.fetchOne(
            db, sql: "SELECT body, contentType, etag, updatedAt FROM \(address.table) WHERE \(address.whereClause) AND \(address.idColumn) = ?",
            arguments: StatementArguments(address.values + [id]))
        guard let row else { return nil }
        return XAPIDocument(body: Array(row["body"] as Data), contentType: row["contentType"], etag: row["etag"], updated: row["updatedAt"])
    }

    /// POST on a document: both sides must be JSON objects (xAPI-Communication 2.2, "JSON Procedure with Requirements").
    private static func merged(_ current: [UInt8], _ posted: [UInt8]) throws -> [UInt8] {
        var members = try jsonObject(current, "the stored document")
        for (key, value) in try jsonObject(posted, "the posted document") { members[key] = value }
        return JSONValue.object(members).serialized()
    }

    private static func jsonObject(_ bytes: [UInt8], _ what: String) throws -> [String: JSONValue] {
        guard let value = try? JSONValue(parsing: bytes), let members = value.objectValue else {
            throw XAPIError.badRequest("\(what) is not a JSON object, so the two cannot be merged (use PUT to replace it)")
        }
        return members
    }
}
