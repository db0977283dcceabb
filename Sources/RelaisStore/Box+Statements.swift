import Foundation
import GRDB
import RelaisCore
import RelaisXAPI

extension Box {
    /// Stores statements as the LRS receives them (xAPI-Communication 2.1), all or none.
    ///
    /// Each one is validated, given an id when it has none, and stamped: `stored` (now),
    /// `timestamp` (= stored when absent: statements are stamped at creation, never later),
    /// `authority` and `version` 1.0.3. A statement whose id is already stored is a no-op when
    /// equivalent (`StatementEquivalence`) and a 409 otherwise. Voiding statements void their
    /// target. One transaction for the batch, one INSERT per new statement. Returns the ids in
    /// order. `credential` is the key of the client that wrote them (nil: the box itself).
    @discardableResult
    public func storeStatements(
        _ statements: [JSONValue], authority: JSONValue, credential: String?, attachments: [StatementAttachment] = [], now: Date = Date()
    ) throws -> [String] {
        let storedAt = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        statementsInFlight.withLock { $0.append(storedAt) }
        defer { statementsInFlight.withLock { if let index = $0.firstIndex(of: storedAt) { $0.remove(at: index) } } }
        let prepared = try StatementRow.prepare(statements, authority: authority, storedAt: storedAt, credential: credential)
        return try database.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO statement (id, body, storedAt, verbId, activityId, registration, actorKey, objectAgentKey, voids, voided, credential)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, EXISTS (SELECT 1 FROM statement WHERE voids = ?1), ?)
                    ON CONFLICT (id) DO NOTHING
                    """)
            let relate = try db.cachedStatement(sql: "INSERT OR IGNORE INTO statementRelation (kind, key, seq) VALUES (?, ?, ?)")
            var definitions: [String: JSONValue] = [:]
            for (i, row) in prepared.enumerated() {
                if let target = row.voids { try Self.checkVoidable(target, db: db, path: row.path) }
                try insert.execute(arguments: row.arguments)
                if db.changesCount == 0 {
                    try Self.checkEquivalent(statements[i], id: row.id, db: db, path: row.path)
                    continue
                }
                let seq = db.lastInsertedRowID
                for relation in row.relations { try relate.execute(arguments: [relation.kind, relation.key, seq]) }
                for (id, definition) in row.definitions {
                    let current = try definitions[id] ?? Self.activityDefinition(id, db: db)
                    definitions[id] = ActivityDefinition.merge(current, definition)
                }
                if let target = row.voids {
                    try db.execute(sql: "UPDATE statement SET voided = 1 WHERE id = ? AND voids IS NULL", arguments: [target])
                }
            }
            for (id, definition) in definitions {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO activity (id, definition, updatedAt) VALUES (?, ?, ?)",
                    arguments: [id, Data(definition.serialized()), storedAt])
            }
            for attachment in attachments {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO attachment (sha2, contentType, length, content) VALUES (?, ?, ?, ?)",
                    arguments: [attachment.sha2, attachment.contentType, attachment.content.count, Data(attachment.content)])
            }
            return prepared.map(\.id)
        }
    }

    /// Stores statements sent by an authenticated client: its scope checked (403), its authority written.
    @discardableResult
    public func storeStatements(
        _ statements: [JSONValue], scope: CredentialScope, attachments: [StatementAttachment] = [], now: Date = Date()
    ) throws -> [String] {
        for (i, statement) in statements.enumerated() {
            try scope.checkWrite(statement, path: StatementRow.path(i, of: statements.count))
        }
        return try storeStatements(statements, authority: try authority(for: scope), credential: scope.key, attachments: attachments, now: now)
    }

    /// The statement with this id as stored, nil when unknown. With `voided` false a voided
    /// statement is not found; with `voided` true only a voided one is (xAPI-Communication 2.1.3).
    public func statement(id: String, voided: Bool) throws -> JSONValue? {
        guard let bytes = try statementBody(id: id, voided: voided, scope: nil) else { return nil }
        return try JSONValue(parsing: bytes)
    }

    /// The stored bytes of a statement, as `statement(id:voided:)` finds it, when `scope` may read it.
    public func statementBody(id: String, voided: Bool, scope: CredentialScope?) throws -> [UInt8]? {
        let filter = StatementQuery.visibility(scope)
        return try database.read { db in
            let data = try Data.fetchOne(
                db, sql: "SELECT body FROM statement WHERE id = ? AND voided = ?" + filter.sql, arguments: [id, voided] + filter.arguments)
            return data.map { Array($0) }
        }
    }

    /// The box's pseudonymizer: keyed by its secret (`secret.key`), accounts under its UAI.
    public func pseudonymizer() throws -> Pseudonymizer {
        guard let secret = FileManager.default.contents(atPath: directory.secretPath), secret.count >= 32 else {
            throw StoreError.secretUnreadable(directory.secretPath)
        }
        return Pseudonymizer(secret: Array(secret), uai: try identity().uai)
    }

    /// A voiding statement may not target another voiding statement (xAPI-Data 2.3.2).
    private static func checkVoidable(_ target: String, db: Database, path: String) throws {
        let targetIsVoiding = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM statement WHERE id = ? AND voids IS NOT NULL)", arguments: [target])
        if targetIsVoiding == true {
            throw XAPIError.badRequest("\(path).object.id names a voiding statement, which cannot be voided")
        }
    }

    private static func checkEquivalent(_ statement: JSONValue, id: String, db: Database, path: String) throws {
        guard let data = try Data.fetchOne(db, sql: "SELECT body FROM statement WHERE id = ?", arguments: [id]) else { return }
        let stored = try JSONValue(parsing: data)
        guard StatementEquivalence.areEquivalent(stored, statement) else {
            throw XAPIError.conflict("\(path).id \(id) is already stored with different content")
        }
    }
}
