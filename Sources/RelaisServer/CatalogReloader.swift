import Logging
import RelaisStore
import ServiceLifecycle

/// Keeps the content origins in step with the store: an import by another process (`relais
/// import`, a sync) and a licence that starts or ends show up within `interval`, and a new
/// bundle gets its own origin.
struct CatalogReloader: Service {
    let box: Box
    let catalog: StoreContentCatalog
    let origins: BundleOriginKeeper
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var loaded = (try? box.servingSignature(at: box.trustedNow())) ?? ""
        var known: [String] = []
        while !Task.isCancelledOrShuttingDown {
            do {
                if try box.bundleIDs() != known { known = try await origins.update() }
            } catch {
                logger.error("bundle origins update failed", metadata: ["error": "\(error)"])
            }
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                let signature = try box.servingSignature(at: box.trustedNow())
                guard signature != loaded else { continue }
                try catalog.reload(from: box)
                loaded = signature
                logger.info("content index reloaded", metadata: ["content.versions": "\(catalog.versionCount)"])
            } catch {
                logger.error("content index reload failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

extension Task where Success == Never, Failure == Never {
    /// True once the task is cancelled or the service group began its graceful shutdown.
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
