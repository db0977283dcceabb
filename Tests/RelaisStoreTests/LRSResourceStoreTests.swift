import Foundation
import GRDB
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

/// Issue 8: what the store keeps for the rest of the LRS (migration v6-lrs-resources).
struct LRSResourceStoreTests {
    let authority: JSONValue = ["objectType": "Agent", "account": ["homePage": "https://relais.invalid/0750654D", "name": "relais"]]

    func statement(_ object: JSONValue, context: JSONValue? = nil, attachments: JSONValue? = nil) -> JSONValue {
        var members: [String: JSONValue] = ["actor": ["mbox": "mailto:a@b.c"], "verb": ["id": "http://x.y/v"], "object": object]
        members["context"] = context
        members["attachments"] = attachments
        return .object(members)
    }

    @Test func attachmentsAreStoredWithTheirStatementsAllOrNone() throws {
        let t = try TestBox()
        let bytes = Array("bytes".utf8)
        let sha2 = Multipart.sha2(bytes, like: String(repeating: "0", count: 64))!
        let meta: JSONValue = [["usageType": "http://x.y/u", "display": ["en": "a"], "contentType": "text/plain", "length": 5, "sha2": .string(sha2)]]
        let attachment = StatementAttachment(sha2: sha2, contentType: "text/plain", content: bytes)
        // A batch refused by its second statement stores no attachment either.
        #expect(throws: XAPIError.self) {
            try t.box.storeStatements(
                [statement(["id": "http://x.y/o"], attachments: meta), ["actor": ["mbox": "mailto:a@b.c"]]], authority: authority, credential: nil,
                attachments: [attachment])
        }
        #expect(try t.box.attachments(sha2: [sha2]).isEmpty)
        try t.box.storeStatements([statement(["id": "http://x.y/o"], attachments: meta)], authority: authority, credential: nil, attachments: [attachment])
        #expect(try t.box.attachments(sha2: [sha2.uppercased()]) == [attachment])
    }

    @Test func anAttachmentsPageStopsAtTheByteBudget() throws {
        let t = try TestBox()
        for n in 0..<3 {
            let bytes = Array("attachment \(n)".utf8)
            let sha2 = Multipart.sha2(bytes, like: String(repeating: "0", count: 64))!
            let meta: JSONValue = [["usageType": "http://x.y/u", "display": ["en": "a"], "contentType": "text/plain", "length": .integer(Int64(bytes.count)), "sha2": .string(sha2)]]
            try t.box.storeStatements(
                [statement(["id": "http://x.y/o"], attachments: meta)], authority: authority, credential: nil,
                attachments: [StatementAttachment(sha2: sha2, contentType: "text/plain", content: bytes)])
        }
        var query = StatementQuery(ascending: true)
        query.attachments = true
        let whole = try t.box.statements(matching: query, scope: nil)
        let first = try t.box.limitingAttachments(whole, of: query, maxBytes: 20)  // two would be 24 bytes
        #expect(first.statements.count == 1)
        let rest = try t.box.statements(matching: try #require(first.more), scope: nil)
        #expect(rest.statements.count == 2)
        #expect(try t.box.limitingAttachments(whole, of: query, maxBytes: 1 << 20).statements.count == 3)
    }

    @Test func activityDefinitionsMergeAcrossStatements() throws {
        let t = try TestBox()
        try t.box.storeStatements([statement(["id": "http://x.y/o", "definition": ["name": ["fr": "Calcul"]]])], authority: authority, credential: nil)
        try t.box.storeStatements(
            [statement(["id": "http://x.y/o2"], context: ["contextActivities": ["parent": [["id": "http://x.y/o", "definition": ["name": ["en": "Maths"]]]]]])],
            authority: authority, credential: nil)
        #expect(try t.box.activityDefinition(id: "http://x.y/o") == ["name": ["fr": "Calcul", "en": "Maths"]])
        #expect(try t.box.activityDefinition(id: "http://x.y/o2") == nil)
    }

    @Test func relatedFiltersReachContextAndAuthority() throws {
        let t = try TestBox()
        try t.box.storeStatements(
            [statement(["id": "http://x.y/o"], context: ["instructor": ["mbox": "mailto:t@b.c"], "contextActivities": ["grouping": [["id": "http://x.y/g"]]]])],
            authority: authority, credential: nil)
        func count(_ query: StatementQuery) throws -> Int { try t.box.statements(matching: query, scope: nil).statements.count }
        #expect(try count(StatementQuery(agentKey: "mbox:mailto:t@b.c")) == 0)
        var related = StatementQuery(agentKey: "mbox:mailto:t@b.c")
        related.relatedAgents = true
        #expect(try count(related) == 1)
        var authorityQuery = StatementQuery(agentKey: AgentIdentity.key(of: authority))
        authorityQuery.relatedAgents = true
        #expect(try count(authorityQuery) == 1)
        var grouping = StatementQuery(activityId: "http://x.y/g")
        #expect(try count(grouping) == 0)
        grouping.relatedActivities = true
        #expect(try count(grouping) == 1)
    }

    @Test func activityProfilesAreDocumentsOfTheActivity() throws {
        let t = try TestBox()
        try t.box.putActivityProfile(activityId: "http://x.y/o", profileId: "p", body: Array("{}".utf8), contentType: "application/json", merge: false)
        #expect(try t.box.activityProfileIds(activityId: "http://x.y/o", since: nil) == ["p"])
        #expect(try t.box.activityProfileIds(activityId: "http://x.y/other", since: nil) == [])
        #expect(throws: XAPIError.self) {
            try t.box.putActivityProfile(
                activityId: "http://x.y/o", profileId: "p", body: [], contentType: "text/plain", merge: false, precondition: .init(requiredToOverwrite: true))
        }
        try t.box.deleteActivityProfile(activityId: "http://x.y/o", profileId: "p")
        #expect(try t.box.activityProfile(activityId: "http://x.y/o", profileId: "p") == nil)
    }

    @Test func thePersonCombinesTheNamesStatementsGave() throws {
        let t = try TestBox()
        let named: JSONValue = ["actor": ["mbox": "mailto:a@b.c", "name": "Léa"], "verb": ["id": "http://x.y/v"], "object": ["id": "http://x.y/o"]]
        try t.box.storeStatements([named], authority: authority, credential: nil)
        #expect(try t.box.person(agent: ["mbox": "mailto:a@b.c"], scope: nil) == ["objectType": "Person", "name": ["Léa"], "mbox": ["mailto:a@b.c"]])
        // A provider sees only what its own statements said.
        #expect(try t.box.person(agent: ["mbox": "mailto:a@b.c"], scope: .provider(key: "other")) == ["objectType": "Person", "mbox": ["mailto:a@b.c"]])
    }
}

/// The v6 migration gives statements stored before it their relations and definitions.
struct LRSResourceMigrationTests {
    @Test func statementsStoredBeforeV6AreBackfilled() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("relais-v6-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("relais.sqlite").path
        let body = #"{"actor":{"mbox":"mailto:a@b.c"},"context":{"instructor":{"mbox":"mailto:t@b.c"}},"id":"6fbd600f-d17c-4c74-801a-2ec2e53231c9","object":{"definition":{"name":{"fr":"Calcul"}},"id":"http://x.y/o"},"verb":{"id":"http://x.y/v"}}"#
        do {
            let pool = try DatabasePool(path: path)
            try RelaisDatabase.migrator.migrate(pool, upTo: "v5-launches")
            try pool.write { db in
                try db.execute(
                    sql: "INSERT INTO statement (id, body, storedAt, verbId, activityId, actorKey) VALUES (?, ?, 0, 'http://x.y/v', 'http://x.y/o', 'mbox:mailto:a@b.c')",
                    arguments: ["6fbd600f-d17c-4c74-801a-2ec2e53231c9", Data(body.utf8)])
            }
        }
        let database = try RelaisDatabase(path: path)
        let relations = try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, key FROM statementRelation ORDER BY kind, key").map { "\($0["kind"] as String) \($0["key"] as String)" }
        }
        // Only what the indexed columns (activityId, actorKey) do not already say.
        #expect(relations == ["agent mbox:mailto:t@b.c"])
        let definition = try database.pool.read { db in try Data.fetchOne(db, sql: "SELECT definition FROM activity WHERE id = 'http://x.y/o'") }
        #expect(definition.map { String(decoding: $0, as: UTF8.self) } == #"{"name":{"fr":"Calcul"}}"#)
    }
}
