import Foundation
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

/// A valid statement by `mbox`, on `activity`.
func statement(id: String? = nil, mbox: String = "mailto:lea@example.fr", verb: String = "http://adlnet.gov/expapi/verbs/completed",
    activity: String = "https://relais.invalid/a/1", registration: String? = nil) -> JSONValue
{
    var members: [String: JSONValue] = [
        "actor": ["mbox": .string(mbox), "name": "Léa"], "verb": ["id": .string(verb)], "object": ["id": .string(activity)],
    ]
    members["id"] = id.map(JSONValue.string)
    if let registration { members["context"] = ["registration": .string(registration)] }
    return .object(members)
}

func voiding(_ target: String) -> JSONValue {
    ["actor": ["mbox": "mailto:prof@example.fr"], "verb": ["id": .string(StatementValidator.voidedVerb)],
     "object": ["objectType": "StatementRef", "id": .string(target)]]
}

struct StatementStoreTests {
    let authority: JSONValue = ["account": ["homePage": "https://relais.invalid/0750654D", "name": "relais"]]

    func count(_ t: TestBox) throws -> Int { try t.box.statements(matching: .init(), scope: nil).statements.count }

    @Test func consistentThroughStaysBeforeABatchThatIsStillWaitingToCommit() async throws {
        let t = try TestBox()
        let stamped = Date(timeIntervalSince1970: 1_788_251_400)
        let later = stamped.addingTimeInterval(10)
        #expect(t.box.consistentThrough(now: later) == "2026-09-01T08:30:10.000Z")
        // Another writer holds the database while a batch stamped at `stamped` waits for it.
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let box = t.box, authority = authority
        Thread.detachNewThread { try? box.database.write { _ in holding.signal(); release.wait() } }
        holding.wait()
        let writer = Task.detached { try box.storeStatements([statement()], authority: authority, credential: nil, now: stamped) }
        // The writer registers its stamp before it waits for the database: poll for it, 10 s at most.
        let deadline = ContinuousClock.now + .seconds(10)
        while t.box.consistentThrough(now: later) != "2026-09-01T08:29:59.999Z" && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(t.box.consistentThrough(now: later) == "2026-09-01T08:29:59.999Z")
        release.signal()
        _ = try await writer.value
        #expect(t.box.consistentThrough(now: later) == "2026-09-01T08:30:10.000Z")
    }

    @Test func storedStatementsAreStampedOnce() throws {
        let t = try TestBox()
        let now = Date(timeIntervalSince1970: 1_788_251_400.25)
        let ids = try t.box.storeStatements([statement()], authority: authority, credential: nil, now: now)
        let stored = try #require(try t.box.statement(id: ids[0], voided: false))
        #expect(XAPIFormat.isUUID(ids[0]))
        #expect(stored["id"] == .string(ids[0]))
        #expect(stored["stored"] == "2026-09-01T08:30:00.250Z")
        #expect(stored["timestamp"] == "2026-09-01T08:30:00.250Z")
        #expect(stored["authority"] == authority)
        #expect(stored["version"] == "1.0.3")
        #expect(stored["actor"] == statement()["actor"])
    }

    @Test func aTimestampSentIsKept() throws {
        let t = try TestBox()
        let sent = statement().setting("timestamp", to: "2026-01-01T10:00:00+01:00")
        let ids = try t.box.storeStatements([sent], authority: authority, credential: nil)
        #expect(try t.box.statement(id: ids[0], voided: false)?["timestamp"] == "2026-01-01T10:00:00+01:00")
    }

    @Test func oneBadStatementStoresNoneOfTheBatch() throws {
        let t = try TestBox()
        var batch = (0..<5).map { _ in statement() }
        batch[3] = statement(verb: "completed")
        #expect(throws: XAPIError.badRequest("statements[3].verb.id is not an IRI")) {
            try t.box.storeStatements(batch, authority: authority, credential: nil)
        }
        #expect(try count(t) == 0)
    }

    @Test func aConflictInTheBatchStoresNoneOfIt() throws {
        let t = try TestBox()
        let id = "6fbd600f-d17c-4c74-801a-2ec2e53231c9"
        try t.box.storeStatements([statement(id: id)], authority: authority, credential: nil)
        let batch = [statement(), statement(id: id, verb: "http://adlnet.gov/expapi/verbs/failed")]
        #expect(throws: XAPIError.conflict("statements[1].id \(id) is already stored with different content")) {
            try t.box.storeStatements(batch, authority: authority, credential: nil)
        }
        #expect(try count(t) == 1)
    }

    @Test func sendingTheSameStatementAgainIsANoOp() throws {
        let t = try TestBox()
        let id = "6fbd600f-d17c-4c74-801a-2ec2e53231c9"
        try t.box.storeStatements([statement(id: id)], authority: authority, credential: nil, now: Date(timeIntervalSince1970: 1))
        let before = try t.box.statement(id: id, voided: false)
        #expect(try t.box.storeStatements([statement(id: id)], authority: authority, credential: "other", now: Date(timeIntervalSince1970: 2)) == [id])
        #expect(try t.box.statement(id: id, voided: false) == before)
        #expect(try count(t) == 1)
    }

    @Test func duplicateIdsInOneBatchAreRefused() throws {
        let t = try TestBox()
        let id = "6fbd600f-d17c-4c74-801a-2ec2e53231c9"
        #expect(throws: XAPIError.badRequest("statements[1].id repeats statements[0].id in the same batch")) {
            try t.box.storeStatements([statement(id: id), statement(id: id)], authority: authority, credential: nil)
        }
    }

    @Test func voidingHidesTheTargetFromQueriesButNotFromVoidedStatementId() throws {
        let t = try TestBox()
        let ids = try t.box.storeStatements([statement(), statement()], authority: authority, credential: nil)
        let voidId = try t.box.storeStatements([voiding(ids[0])], authority: authority, credential: nil)[0]
        #expect(try t.box.statement(id: ids[0], voided: false) == nil)
        #expect(try t.box.statement(id: ids[0], voided: true)?["id"] == .string(ids[0]))
        #expect(try t.box.statement(id: ids[1], voided: true) == nil)
        let listed = try t.box.statements(matching: .init(), scope: nil).statements.compactMap { try JSONValue(parsing: $0)["id"]?.stringValue }
        #expect(listed == [voidId, ids[1]])
        // A voiding statement cannot itself be voided.
        #expect(throws: XAPIError.badRequest("statement.object.id names a voiding statement, which cannot be voided")) {
            try t.box.storeStatements([voiding(voidId)], authority: authority, credential: nil)
        }
    }

    @Test func aStatementVoidedBeforeItArrivesIsStoredVoided() throws {
        let t = try TestBox()
        let id = "6fbd600f-d17c-4c74-801a-2ec2e53231c9"
        try t.box.storeStatements([voiding(id)], authority: authority, credential: nil)
        try t.box.storeStatements([statement(id: id)], authority: authority, credential: nil)
        #expect(try t.box.statement(id: id, voided: true) != nil)
    }

    @Test func filtersAndPaging() throws {
        let t = try TestBox()
        let registration = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"
        var ids: [String] = []
        for i in 0..<7 {
            ids += try t.box.storeStatements(
                [statement(mbox: i % 2 == 0 ? "mailto:a@x.fr" : "mailto:b@x.fr", activity: "https://relais.invalid/a/\(i % 3)",
                    registration: i < 3 ? registration : nil)],
                authority: authority, credential: nil, now: Date(timeIntervalSince1970: Double(1000 + i)))
        }
        func list(_ query: StatementQuery) throws -> [String] {
            try t.box.statements(matching: query, scope: nil).statements.compactMap { try JSONValue(parsing: $0)["id"]?.stringValue }
        }
        #expect(try list(.init(agentKey: "mbox:mailto:a@x.fr", ascending: true)) == [ids[0], ids[2], ids[4], ids[6]])
        #expect(try list(.init(activityId: "https://relais.invalid/a/1")) == [ids[4], ids[1]])
        #expect(try list(.init(registration: registration.uppercased())) == [ids[2], ids[1], ids[0]])
        #expect(try list(.init(verbId: "http://adlnet.gov/expapi/verbs/failed")).isEmpty)
        #expect(try list(.init(since: 1_002_000, until: 1_004_000, ascending: true)) == [ids[3], ids[4]])
        // Pages of 3, newest first, through the cursor as a client would carry it.
        var page = try t.box.statements(matching: .init(limit: 3), scope: nil)
        var seen = page.statements.count
        while let more = page.more {
            let next = try #require(StatementQuery(cursor: try JSONValue(parsing: more.cursor.serialized())))
            page = try t.box.statements(matching: next, scope: nil)
            seen += page.statements.count
        }
        #expect(seen == 7)
    }

    @Test func aProviderReadsOnlyItsOwnStatements() throws {
        let t = try TestBox()
        let mine = try t.box.addCredential(name: "quiz")
        let scope = try #require(try t.box.authenticate(key: mine.key, secret: mine.secret))
        let id = try t.box.storeStatements([statement()], scope: scope)[0]
        let other = try t.box.storeStatements([statement()], authority: authority, credential: nil)[0]
        #expect(try t.box.statements(matching: .init(), scope: scope).statements.count == 1)
        #expect(try t.box.statementBody(id: id, voided: false, scope: scope) != nil)
        #expect(try t.box.statementBody(id: other, voided: false, scope: scope) == nil)
        #expect(try t.box.statement(id: id, voided: false)?["authority"]?["account"]?["name"] == .string("credential:\(mine.key)"))
    }
}
