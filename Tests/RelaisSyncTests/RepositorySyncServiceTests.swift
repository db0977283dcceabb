import Foundation
import Logging
import RelaisStore
import RelaisSync
import ServiceLifecycle
import Testing

/// `relais serve`'s background pull: a service group like serve's picks up `repository.url`,
/// keeps the box in step with the repository and records failures, with no sync run by hand.
struct RepositorySyncServiceTests {
    /// Polls `condition` every 20 ms until it holds or `seconds` pass (generous: the whole suite runs in parallel on 2 cores).
    func eventually(_ seconds: Double = 90, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    @Test func aServiceGroupKeepsTheBoxInStepWithTheRepositoryAndRecordsFailures() async throws {
        let f = try SyncFixture()
        try f.add(id: "fr.test.libre", free: true)
        try f.publish()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let now = f.boxNow
        let box = f.box.box
        // Configured before the start, as `relais serve` requires for adding the service.
        try box.setSetting("repository.url", to: f.repo)
        let service = RepositorySyncService(
            box: box, interval: .milliseconds(50), clock: { Date(timeIntervalSince1970: TimeInterval(now)) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let running = Task { try await group.run() }

        // The first round runs at once and installs the bundle.
        #expect(try await eventually { try f.box.served("fr.test.libre", "1.0.0", "index.html") != nil })
        #expect(try box.status(clock: Date(timeIntervalSince1970: TimeInterval(now))).sync.lastError == nil)

        // A new version published on the hub arrives by itself.
        try f.add(id: "fr.test.libre", version: "2.0.0", text: "nouveau", free: true)
        try f.publish()
        #expect(try await eventually { try f.box.served("fr.test.libre", "2.0.0", "index.html") == "fr.test.libre 2.0.0 nouveau" })

        // A repository that went away: recorded for `relais status`, and the box keeps serving.
        let gone = f.folder.appendingPathComponent("gone").path
        try box.setSetting("repository.url", to: gone)
        #expect(try await eventually { (try box.syncState().lastError ?? "").contains("metadata/") })
        #expect(try box.status(clock: Date(timeIntervalSince1970: TimeInterval(now))).sync.lastError?.contains(gone) == true)
        #expect(try f.box.served("fr.test.libre", "2.0.0", "index.html") == "fr.test.libre 2.0.0 nouveau")

        // Back again: the next success clears the error.
        try box.setSetting("repository.url", to: f.repo)
        #expect(try await eventually { try box.syncState().lastError == nil })

        await group.triggerGracefulShutdown()
        try await running.value
    }
}
