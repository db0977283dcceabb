import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import RelaisLaunch
@testable import RelaisServer
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

/// Issue 8, item 3: bounded bodies, a 413 that says what to do, a bounded number of large
/// bodies at once.
struct XAPIBodyLimitTests {

    /// `count` copies of one statement as a JSON array.
    func batch(_ count: Int, padding: Int = 0) -> ByteBuffer {
        let pad = String(repeating: "x", count: padding)
        let one = #"{"actor":{"mbox":"mailto:a@b.c"},"verb":{"id":"http://x.y/v"},"object":{"id":"https://relais.invalid/a/1","definition":{"extensions":{"http://x.y/e":"\#(pad)"}}}}"#
        return ByteBuffer(string: "[" + Array(repeating: one, count: count).joined(separator: ",") + "]")
    }

    @Test func anOversizedBodyIsA413NamingTheLimitAndWhatToDo() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let body = batch(1, padding: XAPIBodyLimits.maxJSON)
        try await portalApp(t).test(.router) { client in
            // Declared (Content-Length) and undeclared (chunked) alike.
            for extra: HTTPFields in [[.contentLength: String(body.readableBytes)], [:]] {
                try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(extra), body: body) { response in
                    #expect(response.status == .contentTooLarge)
                    let message = String(buffer: response.body)
                    #expect(message.contains("\(XAPIBodyLimits.maxJSON) bytes"))
                    #expect(message.contains("send fewer statements per request"))
                    #expect(!message.contains("NIO"))
                }
            }
        }
    }

    @Test func anOversizedDocumentIsA413SayingToStoreLess() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let uri = "/xapi/activities/profile?activityId=\(encoded("https://relais.invalid/a/1"))&profileId=big"
        let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: XAPIBodyLimits.maxJSON + 1)
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: uri, method: .put, headers: lrs.headers([.contentType: "text/plain"]), body: body) { response in
                #expect(response.status == .contentTooLarge)
                #expect(String(buffer: response.body).contains("the document is over the \(XAPIBodyLimits.maxJSON) bytes"))
                #expect(String(buffer: response.body).contains("store a smaller document"))
            }
        }
    }

    @Test func aStatementWithAMegabyteOfExtensionsIsStored() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: batch(1, padding: 1 << 20)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func tenThousandStatementsInOnePostAreStoredAtomically() async throws {
        let t = try TestBox()
        let lrs = try t.providerClient()
        let ids = try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/xapi/statements", method: .post, headers: lrs.headers(), body: batch(10_000)) { response in
                #expect(response.status == .ok)
                return jsonAny(response.body) as? [String] ?? []
            }
        }
        #expect(ids.count == 10_000)
        #expect(try t.box.statement(id: ids.first ?? "", voided: false) != nil)
        #expect(try t.box.statement(id: ids.last ?? "", voided: false) != nil)
    }

    @Test func theGateAdmitsAFewLargeBodiesAndTurnsTheRestAway() async throws {
        let gate = BodyGate(permits: 1)
        try await gate.acquire(wait: .seconds(5))
        #expect(gate.load.inUse == 1)
        // No permit comes back within the wait: busy (the route answers 503 with Retry-After).
        await #expect(throws: XAPIBusy.self) { try await gate.acquire(wait: .milliseconds(20)) }
        #expect(gate.load.waiting == 0)
        // A waiter gets the permit as soon as it is released.
        async let waiter: Void = gate.acquire(wait: .seconds(30))
        let deadline = ContinuousClock.now + .seconds(10)
        while gate.load.waiting == 0 {
            #expect(ContinuousClock.now < deadline, "the waiter never queued")
            if ContinuousClock.now >= deadline { break }
            await Task.yield()
        }
        gate.release()
        try await waiter
        #expect(gate.load.inUse == 1)
        gate.release()
        #expect(gate.load.inUse == 0)
    }
}
