import Hummingbird
import Logging
import RelaisStore
import ServiceLifecycle
import Synchronization

/// A service of `relais serve` failed (its error is in the log above); serve stopped.
public struct ServeFailure: Error, CustomStringConvertible {
    public var description: String {
        "serve stopped because one of its services failed (see the log above); systemd's Restart=on-failure restarts it, or run it again"
    }
}

/// Runs the portal and the content origin until SIGTERM or SIGINT (what `relais serve` does).
///
/// The service group is this function's own (what `Application.runService()` would make), so a
/// companion service that fails asks it for a graceful shutdown (`FailureGuardedService`); the
/// function then throws `ServeFailure`, for an exit code that systemd restarts.
public func serve(box: Box, configuration: ServerConfiguration, logger: Logger) async throws {
    let group = Mutex<ServiceGroup?>(nil)
    let failed = Atomic<Bool>(false)
    let app = try buildApplication(box: box, configuration: configuration, logger: logger) { _ in
        failed.store(true, ordering: .relaxed)
        if let running = group.withLock({ $0 }) { Task { await running.triggerGracefulShutdown() } }
    }
    let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    group.withLock { $0 = services }
    try await services.run()
    if failed.load(ordering: .relaxed) { throw ServeFailure() }
}
