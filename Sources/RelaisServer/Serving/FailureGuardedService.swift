import Logging
import ServiceLifecycle

/// Runs one of the portal's companion services (the content origin, the index reloader, the
/// upstream push) so that its failure stops `relais serve` gracefully instead of cancelling the
/// whole service group.
///
/// A service that throws makes ServiceLifecycle cancel every other service, Hummingbird's server
/// among them; cancelled while accepted connections are still queued for it, NIO traps on them
/// ("Deinited NIOAsyncWriter without calling finish()", an `Illegal instruction`). So the error
/// is logged and handed to `onFailure` (which asks for a graceful shutdown and a failing exit
/// code in `relais serve`), and this service then waits for that shutdown like a healthy one.
struct FailureGuardedService: Service, CustomStringConvertible {
    let inner: any Service
    let logger: Logger
    let onFailure: @Sendable (any Error) -> Void

    var description: String { "\(inner)" }

    func run() async throws {
        do {
            try await inner.run()
            return
        } catch {
            if Task.isCancelled { return }
            logger.critical("a service of relais serve failed; stopping", metadata: ["service": "\(inner)", "error": "\(error)"])
            onFailure(error)
        }
        // Hold on until the group shuts down (gracefully, or by cancellation) like a healthy service.
        try? await gracefulShutdown()
    }
}
