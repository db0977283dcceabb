import Foundation
import GRDB
import RelaisCore
import RelaisXAPI

/// The bytes of one attachment sent with statements (multipart/mixed), by its sha2.
public struct StatementAttachment: Sendable, Equatable {
    /// Lowercase hex SHA-2 (the attachment's `sha2`, its part's X-Experience-API-Hash).
    public var sha2: String
    /// The part's Content-Type.
    public var contentType: String
    /// The bytes; a slice, so the part of a request body is stored without a copy of its own.
    public var content: ArraySlice<UInt8>

    public init(sha2: String, contentType: String, content: ArraySlice<UInt8>) {
        self.sha2 = sha2.lowercased()
        self.contentType = contentType
        self.content = content
    }

    public init(sha2: String, contentType: String, content: [UInt8]) {
        self.init(sha2: sha2, contentType: contentType, content: content[...])
    }
}

extension Box {
    // MARK: Activities (xAPI-Communication 2.5)

    /// The canonical definition of an Activity, nil when no statement gave one.
    public func activityDefinition(id: String) throws -> JSONValue? {
        try database.read { db in try Self.activityDefinition(id, db: db) }
    }

    /// The canonical definitions of these ids (those known).
    public func activityDefinitions(ids: some Collection<String>) throws -> [String: JSONValue] {
        guard !ids.isEmpty else { return [:] }
        return try database.read { db in
            var found: [String: JSONValue] = [:]
            for id in Set(ids) { found[id] = try Self.activityDefinition(id, db: db) }
            return found
        }
    }

    static func activityDefinition(_ id: String, db: Database) throws -> JSONValue? {
        guard let data = try Data.fetchOne(db, sql: "SELECT definition FROM activity WHERE id = ?", arguments: [id]) else { return nil }
        return try? JSONValue(parsing: data)
    }

    // MARK: Agents (xAPI-Communication 2.6)

    /// The Person object of an agent: its own names and identifiers and those statements `scope`
    /// may read gave it (as actor or object), newest first.
    public func person(agent: JSONValue, scope: CredentialScope?) throws -> JSONValue {
        guard let key = AgentIdentity.key(of: agent) else { return PersonObject.person(of: [agent]) }
        let visibility = StatementQuery.visibility(scope)
        let bodies = try database.read { db in
            try Data.fetchAll(
                db, sql: "SELECT body FROM statement WHERE (actorKey = ? OR objectAgentKey = ?)\(visibility.sql) ORDER BY seq DESC LIMIT 200",
                arguments: [key, key] + visibility.arguments)
        }
        var agents = [agent]
        for body in bodies {
            guard let statement = try? JSONValue(parsing: body) else { continue }
            for candidate in [statement["actor"], statement["object"]].compactMap({ $0 }) where AgentIdentity.key(of: candidate) == key {
                agents.append(candidate)
            }
        }
        return PersonObject.person(of: agents)
    }

    // MARK: Attachments

    /// The stored attachments with these sha2 (those the box holds), in the order asked.
    public func attachments(sha2 hashes: [String]) throws -> [StatementAttachment] {
        var seen: Set<String> = []
        let unique = hashes.map { $0.lowercased() }.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { return [] }
        return try database.read { db in
            try unique.compactMap { hash in
                guard let row = try Row.fetchOne(db, sql: "SELECT contentType, content FROM attachment WHERE sha2 = ?", arguments: [hash]) else { return nil }
                return StatementAttachment(sha2: hash, contentType: row["contentType"], content: Array(row["content"] as Data))
            }
        }
    }

    /// The page cut so that the attachments it names total at most `maxBytes` (each sha2 once;
    /// the first statement is always kept), its `more` resuming after the last one kept. An
    /// `attachments=true` answer holds the attachments in memory: this bounds it.
    public func limitingAttachments(_ page: StatementPage, of query: StatementQuery, maxBytes: Int) throws -> StatementPage {
        var seen: Set<String> = []
        var total = 0
        for (i, body) in page.statements.enumerated() {
            guard let statement = try? JSONValue(parsing: body) else { continue }
            let hashes = (StatementAttachments.hashes(statement) + StatementAttachments.requiredHashes(statement)).filter { seen.insert($0).inserted }
            total += try attachmentLength(sha2: hashes)
            if total > maxBytes, i > 0, i < page.seqs.count {
                var next = query
                next.afterSeq = page.seqs[i - 1]
                return StatementPage(statements: Array(page.statements[..<i]), more: next, seqs: Array(page.seqs[..<i]))
            }
        }
        return page
    }

    /// The total length of the stored attachments with these sha2.
    func attachmentLength(sha2 hashes: [String]) throws -> Int {
        guard !hashes.isEmpty else { return 0 }
        return try database.read { db in
            try hashes.reduce(0) { sum, hash in
                sum + (try Int.fetchOne(db, sql: "SELECT length FROM attachment WHERE sha2 = ?", arguments: [hash]) ?? 0)
            }
        }
    }
}
