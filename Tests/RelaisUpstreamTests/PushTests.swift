import Foundation
import RelaisCore
import RelaisStore
import RelaisUpstream
import RelaisXAPI
import Testing

@Suite("Upstream push against a scripted LRS")
struct PushTests {
    @Test("every stored statement is queued; acknowledged batches leave the outbox")
    func acknowledgesEverything() async throws {
        let fixture = try await PushFixture(statements: 25) { _ in (200, "[]") }
        #expect(try fixture.box.outboxStatus().pending == 25)
        let report = try await fixture.pusher(batchSize: 10).push()
        #expect(report.acknowledged == 25)
        #expect(report.requests == 3)
        #expect(report.pending == 0)
        #expect(fixture.server.stored == (0..<25).map(PushFixture.id))
        let status = try fixture.box.outboxStatus()
        #expect(status.pending == 0 && status.quarantined == 0 && status.acknowledgedTotal == 25)
        #expect(status.lastSuccessAt != nil && status.lastError == nil)
        let first = try #require(fixture.server.requests.first)
        #expect(first.headers["x-experience-api-version"] == "1.0.3")
        #expect(first.headers["authorization"] == "Basic " + Data("box:secret".utf8).base64EncodedString())
        #expect(first.headers["content-type"] == "application/json")
        // Nothing left: a second push sends nothing.
        let again = try await fixture.pusher().push()
        #expect(again.requests == 0 && again.acknowledged == 0)
        try await fixture.stop()
    }

    @Test("no name, mbox, stored or authority on the wire; pupils get the box's stable pseudonym")
    func pseudonymisedBodies() async throws {
        let fixture = try await PushFixture(statements: 3) { _ in (200, "[]") }
        _ = try await fixture.pusher().push()
        let sent = fixture.server.requests.flatMap(\.statements)
        #expect(sent.count == 3)
        for statement in sent {
            let text = String(decoding: statement.serialized(), as: UTF8.self)
            for leak in ["Adam", "Bernard", "Claire", "Morvan", "mbox", "\"stored\"", "\"authority\""] {
                #expect(!text.contains(leak), "\(leak) in \(text)")
            }
            #expect(statement["actor"]?["account"]?["homePage"] == "https://relais.invalid/0750654D")
            #expect(statement["actor"]?["account"]?["name"]?.stringValue?.count == 32)
            #expect(statement["timestamp"] == "2026-03-02T09:15:00.000Z")
            #expect(statement["context"]?["instructor"]?["account"] != nil)
        }
        // Same person, same pseudonym, in every statement.
        #expect(Set(sent.compactMap { $0["actor"] }).count == 1)
        try await fixture.stop()
    }

    @Test("attachments sent as parts stay on the box; a fileUrl attachment goes up")
    func attachmentPartsStayOnTheBox() throws {
        let outgoing = PseudonymousOutgoing(pseudonymizer: Pseudonymizer(secret: Array(repeating: 7, count: 32), uai: "0750654D"))
        func attachment(_ name: String, fileUrl: String? = nil) -> JSONValue {
            let base: JSONValue = ["usageType": "http://example.com/usage", "display": ["fr": .string(name)], "contentType": "text/plain",
                                   "length": 3, "sha2": "abc"]
            return fileUrl.map { base.setting("fileUrl", to: .string($0)) } ?? base
        }
        var statement = PushFixture.statement(1)
        statement = statement.setting("attachments", to: [attachment("copie"), attachment("consigne", fileUrl: "http://example.com/c.txt")])
        let sent = try JSONValue(parsing: try outgoing.outgoing(statement.serialized()))
        #expect(sent["attachments"]?.arrayValue?.count == 1)
        #expect(sent["attachments"]?.arrayValue?.first?["fileUrl"] == "http://example.com/c.txt")
        let onlyParts = PushFixture.statement(2).setting("attachments", to: [attachment("copie")])
        let sentWithout = try JSONValue(parsing: try outgoing.outgoing(onlyParts.serialized()))
        #expect(sentWithout["attachments"] == nil)
        #expect(sentWithout["verb"] == onlyParts["verb"])
    }

    @Test("409 and 422 are bisected down to the two bad statements, quarantined with their reasons; the rest goes")
    func bisectsToTheRefused() async throws {
        let conflicting = PushFixture.id(7), invalid = PushFixture.id(31)
        let fixture = try await PushFixture(statements: 40) { request in
            if request.ids.contains(conflicting) { return (409, "{\"detail\":\"Differing statements already exist with the same ID\"}") }
            if request.ids.contains(invalid) { return (422, "{\"detail\":\"invalid verb\"}") }
            return (200, "[]")
        }
        let report = try await fixture.pusher(batchSize: 20).push()
        #expect(report.acknowledged == 38)
        #expect(report.quarantined == 2)
        #expect(report.quarantinedTotal == 2 && report.pending == 0)
        #expect(Set(fixture.server.stored) == Set((0..<40).map(PushFixture.id)).subtracting([conflicting, invalid]))
        #expect(fixture.server.stored.count == 38)
        // Bisecting a batch of 20 to one statement takes about 2·log2(20) requests, not 20.
        #expect(report.requests <= 2 + 2 * 2 * 5)
        let status = try fixture.box.outboxStatus()
        #expect(status.quarantine.map(\.id) == [conflicting, invalid])
        #expect(status.quarantine[0].reason.hasPrefix("HTTP 409"))
        #expect(status.quarantine[1].reason.hasPrefix("HTTP 422"))
        #expect(status.quarantine[1].reason.contains("invalid verb"))
        try await fixture.stop()
    }

    @Test("quarantined statements are retried on request, and leave once accepted")
    func retriesQuarantine() async throws {
        let refused = PushFixture.id(3)
        let refusing = RefusalSwitch()
        let fixture = try await PushFixture(statements: 8) { request in
            refusing.isOn && request.ids.contains(refused) ? (409, "conflict") : (200, "[]")
        }
        #expect(try await fixture.pusher(batchSize: 8).push().quarantined == 1)
        // A plain push leaves the quarantine alone.
        refusing.isOn = false
        let plain = try await fixture.pusher().push()
        #expect(plain.requests == 0 && plain.quarantinedTotal == 1)
        let retried = try await fixture.pusher().push(retryQuarantined: true)
        #expect(retried.released == 1 && retried.acknowledged == 1 && retried.quarantinedTotal == 0)
        #expect(try fixture.box.outboxStatus().quarantined == 0)
        try await fixture.stop()
    }

    @Test("401 stops the push at once, keeps every statement and is shown in the status")
    func credentialsRefusedStops() async throws {
        let fixture = try await PushFixture(statements: 30) { _ in (401, "{\"detail\":\"Invalid authentication credentials\"}") }
        await #expect(throws: UpstreamError.credentialsRefused(status: 401, url: fixture.configuration().statementsURL)) {
            try await fixture.pusher().push()
        }
        #expect(fixture.server.requests.count == 1)
        let status = try fixture.box.outboxStatus()
        #expect(status.pending == 30 && status.quarantined == 0)
        #expect(status.credentialsRefusedAt != nil)
        #expect(status.lastError?.contains("upstream.lrs.password") == true)
        try await fixture.stop()
    }

    @Test("403 stops like 401; 404 stops without quarantining anything")
    func forbiddenAndWrongAddressStop() async throws {
        let forbidden = try await PushFixture(statements: 5) { _ in (403, "") }
        await #expect(throws: UpstreamError.self) { try await forbidden.pusher().push() }
        #expect(try forbidden.box.outboxStatus().pending == 5)

        let wrong = try await PushFixture(statements: 5) { _ in (404, "not found") }
        await #expect(throws: UpstreamError.misconfigured(status: 404, url: wrong.configuration().statementsURL, detail: "not found")) {
            try await wrong.pusher().push()
        }
        #expect(try wrong.box.outboxStatus().quarantined == 0)
        #expect(wrong.server.requests.count == 1)
        try await forbidden.stop()
        try await wrong.stop()
    }

    @Test("413 halves the batches until they pass")
    func tooLargeShrinks() async throws {
        let fixture = try await PushFixture(statements: 50) { request in request.statements.count > 6 ? (413, "too large") : (200, "[]") }
        let report = try await fixture.pusher(batchSize: 50).push()
        #expect(report.acknowledged == 50 && report.quarantined == 0)
        #expect(report.batchSize <= 6 && report.batchSize >= 3)
        #expect(Set(fixture.server.stored).count == 50)
        // Once shrunk, the size sticks: no more 413 than the halvings needed.
        let refusals = fixture.server.requests.filter { $0.statements.count > 6 }.count
        #expect(refusals <= 5)
        try await fixture.stop()
    }

    @Test("5xx is retried with backoff until it passes")
    func serverErrorsRetried() async throws {
        let fixture = try await PushFixture(statements: 10) { request in request.index < 2 ? (500, "oops") : (200, "[]") }
        let report = try await fixture.pusher(batchSize: 10).push()
        #expect(report.acknowledged == 10)
        #expect(report.requests == 3)
        #expect(fixture.server.stored.count == 10)
        try await fixture.stop()
    }

    @Test("an upstream failing for good: the push gives up after its attempts and keeps everything")
    func givesUpKeepingEverything() async throws {
        let fixture = try await PushFixture(statements: 10) { _ in (503, "down") }
        await #expect(throws: UpstreamError.self) { try await fixture.pusher().push() }
        #expect(fixture.server.requests.count == PushFixture.quickRetry.maxAttempts)
        let status = try fixture.box.outboxStatus()
        #expect(status.pending == 10 && status.quarantined == 0)
        #expect(status.lastError?.contains("503") == true)
        try await fixture.stop()
    }

    @Test("a dead upstream fails in seconds, keeping everything")
    func deadUpstream() async throws {
        let fixture = try await PushFixture(statements: 4) { _ in (200, "[]") }
        try await fixture.stop()
        let start = ContinuousClock.now
        await #expect(throws: UpstreamError.self) { try await fixture.pusher().push() }
        // Not a speed target (the machine is shared): the push gives up instead of hanging.
        #expect(ContinuousClock.now - start < .seconds(60))
        #expect(try fixture.box.outboxStatus().pending == 4)
    }

    @Test("the bandwidth cap spreads the requests: bytes per second stay under it")
    func bandwidthCap() async throws {
        let fixture = try await PushFixture(statements: 30) { _ in (200, "[]") }
        let cap = 8_000
        let start = ContinuousClock.now
        let report = try await fixture.pusher(batchSize: 5, maxBytesPerSecond: cap).push()
        let elapsed = ContinuousClock.now - start
        #expect(report.acknowledged == 30 && report.requests == 6)
        // The first request goes at once; the other five wait for the bytes before them to drain.
        let perRequest = Double(report.bytesSent) / Double(report.requests)
        let floor = perRequest * 5 / Double(cap)
        #expect(elapsed >= .seconds(floor * 0.95), "\(report.bytesSent) bytes in \(elapsed), cap \(cap)/s")
        try await fixture.stop()
    }

    @Test("one push at a time per box")
    func oneAtATime() async throws {
        let fixture = try await PushFixture(statements: 1) { _ in (200, "[]") }
        let lock = try StoreLock(fixture.box.directory, path: fixture.box.directory.root.appendingPathComponent("upstream.lock").path)
        await #expect(throws: UpstreamError.busy(fixture.box.directory.root.path)) { try await fixture.pusher().push() }
        withExtendedLifetime(lock) {}
        try await fixture.stop()
    }
}

/// A flag a scripted answer reads while the test flips it.
final class RefusalSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var value = true
    var isOn: Bool {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
