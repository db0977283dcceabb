import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
@testable import RelaisLaunch
@testable import RelaisServer
import RelaisTestSupport
import ServiceLifecycle
import Synchronization
import Testing

/// A companion service that fails stops `relais serve` gracefully: the other services (the
/// portal's server among them) are shut down, not cancelled — cancelled with accepted
/// connections still queued, Hummingbird's server traps in NIO.
@Suite(.timeLimit(.minutes(1))) struct ServiceFailureTests {
    struct Broken: Error {}

    struct Failing: Service {
        func run() async throws { throw Broken() }
    }

    /// Records how it was stopped.
    final class Sentinel: Service, Sendable {
        let cancelled = Atomic<Bool>(false)
        let shutDownGracefully = Atomic<Bool>(false)
        func run() async throws {
            do {
                try await gracefulShutdown()
                shutDownGracefully.store(true, ordering: .relaxed)
            } catch {
                cancelled.store(true, ordering: .relaxed)
            }
        }
    }

    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test func aFailingServiceShutsTheGroupDownGracefullyInsteadOfCancellingIt() async throws {
        let sentinel = Sentinel()
        let failures = Atomic<Int>(0)
        let group = Mutex<ServiceGroup?>(nil)
        let guarded = FailureGuardedService(inner: Failing(), logger: Self.logger) { _ in
            failures.add(1, ordering: .relaxed)
            if let running = group.withLock({ $0 }) { Task { await running.triggerGracefulShutdown() } }
        }
        let services = ServiceGroup(configuration: .init(services: [sentinel, guarded], logger: Self.logger))
        group.withLock { $0 = services }
        try await services.run()
        let failureCount = failures.load(ordering: .relaxed)
        let graceful = sentinel.shutDownGracefully.load(ordering: .relaxed)
        let cancelled = sentinel.cancelled.load(ordering: .relaxed)
        #expect(failureCount == 1)
        #expect(graceful, "the other services were not shut down gracefully")
        #expect(!cancelled, "the other services were cancelled")
    }

    @Test func aContentPortTakenWhenServeRunsStopsItGracefullyAndSaysWhy() async throws {
        let t = try TestBox()
        // Someone else holds the content port by the time the services start.
        let squatter = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let takenPort = try #require(squatter.localAddress?.port)
        let reported = Mutex<String?>(nil)
        let group = Mutex<ServiceGroup?>(nil)
        let app = try buildApplication(
            box: t.box, configuration: .init(host: "127.0.0.1", port: 0, contentPort: takenPort), logger: Self.logger
        ) { error in
            reported.withLock { $0 = "\(error)" }
            if let running = group.withLock({ $0 }) { Task { await running.triggerGracefulShutdown() } }
        }
        let services = ServiceGroup(configuration: .init(services: [app], logger: Self.logger))
        group.withLock { $0 = services }
        try await services.run()
        try await squatter.close()
        #expect(reported.withLock { $0 }?.contains("in use") == true, "the failure was not reported: \(String(describing: reported.withLock { $0 }))")
    }
}
