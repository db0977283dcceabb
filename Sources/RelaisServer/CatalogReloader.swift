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
        // The bundles of the last attempt to open origins, and when to try again for those that
        // could not listen (a port in use, a full range): once a minute, not at every tick, so the
        // log says it once a minute too.
        var attempted: [String]?
        var retryAt: ContinuousClock.Instant?
        while !Task.isCancelledOrShuttingDown {
            do {
                let ids = try box.bundleIDs()
                if ids != attempted || retryAt.map({ ContinuousClock.now >= $0 }) == true {
                    let listening = try await origins.update()
                    attempted = ids
                    retryAt = listening.count == ids.count ? nil : .now + .seconds(60)
                }
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
