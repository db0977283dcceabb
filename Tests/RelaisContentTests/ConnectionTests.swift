import Foundation
import NIOCore
import NIOPosix
import RelaisContent
import RelaisCore
import ServiceLifecycle
import Testing

@Suite(.timeLimit(.minutes(1))) struct ConnectionTests {
    static let small = Array("petit fichier".utf8)
    static let large = ContentFixture.pattern(200_000, seed: 3)
    static let configuration = ContentServer.Configuration(smallFileThreshold: 1024, streamChunkSize: 8192)

    private func get(_ path: String, _ extra: String = "") -> String {
        "GET \(ContentFixture.url(path)) HTTP/1.1\r\nHost: t\r\n\(extra)\r\n"
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withContentServer(files: ["a.txt": Self.small, "big.bin": Self.large], configuration: Self.configuration) { fixture in
            let request = get("big.bin") + get("a.txt") + get("nope") + "HEAD \(ContentFixture.url("big.bin")) HTTP/1.1\r\nHost: t\r\n\r\n"
                + get("big.bin", "Range: bytes=10-19\r\n") + get("a.txt", "Connection: close\r\n")
            let responses = try await fixture.exchange(request, bodiless: [false, false, false, true, false, false])
            #expect(responses.map(\.status) == [200, 200, 404, 200, 206, 200])
            #expect(responses[0].body == Self.large)
            #expect(responses[1].body == Self.small)
            #expect(responses[3].body.isEmpty)
            #expect(responses[4].body == Array(Self.large[10...19]))
            #expect(responses[5].body == Self.small)
            #expect(responses.dropLast().allSatisfy { $0.header("Connection") == nil })
        }
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() async throws {
        try await withContentServer(files: ["a.txt": Self.small]) { fixture in
            let closing = try await fixture.exchange("GET \(ContentFixture.url("a.txt")) HTTP/1.0\r\n\r\n")
            #expect(closing.count == 1)
            #expect(closing[0].header("Connection") == "close")
            let request = "GET \(ContentFixture.url("a.txt")) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                + "GET \(ContentFixture.url("a.txt")) HTTP/1.0\r\n\r\n"
            let kept = try await fixture.exchange(request)
            #expect(kept.count == 2)
            #expect(kept[0].header("Connection") == "keep-alive")
            #expect(kept.map(\.body) == [Self.small, Self.small])
        }
    }

    @Test func idleConnectionIsClosedAfterTheTimeout() async throws {
        let configuration = ContentServer.Configuration(idleTimeout: .milliseconds(300))
        try await withContentServer(files: ["a.txt": Self.small], configuration: configuration) { fixture in
            let started = ContinuousClock.now
            let received = try await RawHTTPClient.withConnection(port: fixture.port) { inbound, _ in
                try await RawHTTPClient.readAll(inbound)
            }
            #expect(received.isEmpty)
            // Closed by the server (readAll returned), not hanging; slack for a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    @Test func smallFilesAreServedFromMemoryAfterTheFirstRead() async throws {
        // One event loop, so every connection sees the same per-loop cache.
        let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { loop.shutdownGracefully { _ in } }
        let files = ["a.txt": Self.small, "big.bin": Self.large]
        try await withContentServer(files: files, configuration: Self.configuration, group: loop) { fixture in
            #expect(try await fixture.request("GET", ContentFixture.url("a.txt")).body == Self.small)
            #expect(try await fixture.request("GET", ContentFixture.url("big.bin")).body == Self.large)
            try FileManager.default.removeItem(atPath: fixture.files["a.txt"]!.blobPath)
            try FileManager.default.removeItem(atPath: fixture.files["big.bin"]!.blobPath)
            #expect(try await fixture.request("GET", ContentFixture.url("a.txt")).body == Self.small)
            // Large files are never held in memory, so the missing blob shows.
            #expect(try await fixture.request("GET", ContentFixture.url("big.bin")).status == 500)
        }
    }

    @Test func missingOrTruncatedBlobIsAServerErrorAndTheConnectionGoesOn() async throws {
        let ghost = ContentFile(hash: ContentFixture.fakeHash([1]), size: 10, blobPath: "/nonexistent/blob", lastModified: 0)
        let liar = ContentFile(hash: ContentFixture.fakeHash([2]), size: 5000, blobPath: "/dev/null", lastModified: 0)
        let extra = [
            "\(ContentFixture.bundleID)/\(ContentFixture.version)/ghost.txt": ghost,
            "\(ContentFixture.bundleID)/\(ContentFixture.version)/liar.bin": liar,
        ]
        try await withContentServer(files: ["a.txt": Self.small], configuration: Self.configuration, extraCatalog: extra) { fixture in
            let responses = try await fixture.exchange(get("ghost.txt") + get("liar.bin") + get("a.txt", "Connection: close\r\n"))
            #expect(responses.map(\.status) == [500, 500, 200])
            #expect(responses[0].bodyText == "Internal error: this file cannot be read.\n")
            #expect(responses[2].body == Self.small)
        }
    }

    @Test func gracefulShutdownLetsTheDownloadInFlightFinish() async throws {
        var big: [UInt8] = []
        let block = ContentFixture.pattern(65_536, seed: 1)
        for _ in 0..<256 { big += block }  // 16 MiB: more than loopback buffers hold, so it is mid-flight
        let bundle = try PreparedBundle(files: ["big.bin": big])
        defer { bundle.remove() }
        let server = ContentServer(host: "127.0.0.1", port: 0, catalog: bundle.catalog, logger: quietLogger)
        let sharedPort = try await server.start()
        let port = try #require(await server.openBundleOrigins([ContentFixture.bundleID: 0])[ContentFixture.bundleID])
        let services = ServiceGroup(configuration: .init(services: [.init(service: server)], logger: quietLogger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            let received = try await RawHTTPClient.withConnection(port: port) { inbound, outbound in
                try await outbound.write(ByteBuffer(string: get("big.bin")))
                var iterator = inbound.makeAsyncIterator()
                var received: [UInt8] = []
                if let first = try await iterator.next() { received += first.readableBytesView }
                await services.triggerGracefulShutdown()
                while let chunk = try await iterator.next() { received += chunk.readableBytesView }
                return received
            }
            let response = try RawResponse.parseOne(received)
            #expect(response.status == 200)
            #expect(response.body.count == big.count)
            #expect(response.body == big)
            try await group.next()  // the service group returns once the server has drained
        }
        for closed in [port, sharedPort] {  // every listening socket of the server is closed
            await #expect(throws: (any Error).self) {
                try await RawHTTPClient.exchange(port: closed, get("big.bin"))
            }
        }
    }

    @Test func cancellingRunStopsTheServer() async throws {
        let bundle = try PreparedBundle(files: ["a.txt": Self.small])
        defer { bundle.remove() }
        let server = ContentServer(host: "127.0.0.1", port: 0, catalog: bundle.catalog, logger: quietLogger)
        let sharedPort = try await server.start()
        #expect(try await server.start() == sharedPort)  // binding happens once
        let port = try #require(await server.openBundleOrigins([ContentFixture.bundleID: 0])[ContentFixture.bundleID])
        let running = Task { try await server.run() }
        let answer = try RawResponse.parseOne(try await RawHTTPClient.exchange(port: port, get("a.txt", "Connection: close\r\n")))
        #expect(answer.status == 200)
        running.cancel()
        try await running.value
        await #expect(throws: (any Error).self) {
            try await RawHTTPClient.exchange(port: port, get("a.txt"))
        }
    }

    @Test func bindingAPortInUseFailsStartAndRun() async throws {
        let bundle = try PreparedBundle(files: ["a.txt": Self.small])
        defer { bundle.remove() }
        let first = ContentServer(host: "127.0.0.1", port: 0, catalog: bundle.catalog, logger: quietLogger)
        let port = try await first.start()
        let running = Task { try await first.run() }
        defer { running.cancel() }
        let second = ContentServer(host: "127.0.0.1", port: port, catalog: bundle.catalog, logger: quietLogger)
        await #expect(throws: (any Error).self) { try await second.start() }
        await #expect(throws: (any Error).self) { try await second.run() }
    }
}
