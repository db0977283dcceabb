import Logging
import RelaisStore
import ServiceLifecycle

/// Deletes pupils' data older than `privacy.retentionDays` once a day while `relais serve` runs
/// (the audit log keeps the time of the last purge, so a restart does not purge twice a day).
struct PurgeService: Service {
    let box: Box
    let logger: Logger
    /// How often it looks whether a purge is due.
    var checkEvery: Duration = .seconds(3600)

    func run() async throws {
        while !Task.isCancelledOrShuttingDown {
            do {
                if let report = try box.purgeIfDue() {
                    logger.info("pupils' data past the retention period purged", metadata: ["purge": "\(report)"])
                }
            } catch {
                // Serving goes on; the next check tries again.
                logger.error("purge failed", metadata: ["error": "\(error)"])
            }
            // Woken at once by a graceful shutdown, not an hour later.
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: checkEvery) } } catch { return }
        }
    }
}
