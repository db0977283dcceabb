import Foundation
import Logging
import RelaisCore
import RelaisStore
import RelaisTestSupport
import RelaisUpstream
import RelaisXAPI

/// A box holding `count` statements from a named pupil, and a scripted upstream LRS to push them to.
struct PushFixture {
    let testBox: TestBox
    let server: ScriptedLRS
    var box: Box { testBox.box }

    /// Retries in milliseconds, so failing upstreams do not slow the suite.
    static let quickRetry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))

    init(statements count: Int, answer: @escaping ScriptedLRS.Answer) async throws {
        testBox = try TestBox()
        server = try await ScriptedLRS(answer: answer)
        if count > 0 { try box.storeStatements((0..<count).map(Self.statement), authority: Self.authority, credential: nil) }
    }

    /// Statement `i`: a pupil named in clear, as content on the LAN may send it.
    static func statement(_ i: Int) -> JSONValue {
        [
            "id": .string(id(i)),
            "actor": ["objectType": "Agent", "name": "Adam Bernard", "mbox": "mailto:adam.bernard@ecole.example"],
            "verb": ["id": "http://adlnet.gov/expapi/verbs/experienced", "display": ["fr-FR": "a consulté"]],
            "object": ["objectType": "Activity", "id": .string("https://relais.example/activites/\(i)")],
            "context": ["instructor": ["objectType": "Agent", "name": "Claire Morvan", "mbox": "mailto:claire.morvan@ecole.example"]],
            "timestamp": "2026-03-02T09:15:00.000Z",
        ]
    }

    static func id(_ i: Int) -> String {
        let digits = String(i)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    static let authority: JSONValue = ["objectType": "Agent", "account": ["homePage": "https://relais.invalid/0750654D", "name": "box"]]

    func configuration(batchSize: Int = 10, maxBytesPerSecond: Int = 0) -> UpstreamConfiguration {
        UpstreamConfiguration(endpoint: server.endpoint, username: "box", password: "secret", batchSize: batchSize, maxBytesPerSecond: maxBytesPerSecond)
    }

    func pusher(batchSize: Int = 10, maxBytesPerSecond: Int = 0, retry: RetryPolicy = quickRetry) throws -> OutboxPusher {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return OutboxPusher(
            box: box, configuration: configuration(batchSize: batchSize, maxBytesPerSecond: maxBytesPerSecond), filter: try PseudonymousOutgoing(box: box), retry: retry,
            timeouts: .init(connect: .seconds(2), read: .seconds(5), request: .seconds(10)), logger: logger)
    }

    func stop() async throws { try await server.stop() }
}
