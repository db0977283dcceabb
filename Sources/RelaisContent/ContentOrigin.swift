import Logging
import NIOCore
import NIOPosix

/// What every connection of one server shares: the catalog, the settings and the rendered headers.
///
/// Immutable, so the event loops read it without coordination.
final class ContentOrigin: Sendable {
    /// Where files are looked up.
    let catalog: any ContentCatalog
    /// The server's settings.
    let configuration: ContentServer.Configuration
    /// Renders response heads with the shared headers pre-serialised.
    let headWriter: ResponseHeadWriter
    /// The `multipart/byteranges` boundary, drawn once per server.
    let boundary: String
    /// Opens and reads blobs on the thread pool, never on an event loop.
    let fileIO: NonBlockingFileIO
    /// Which port each bundle's own origin listens on (for the shared port's redirects).
    let bundleOrigins: BundleOriginMap
    /// Where failures are reported (never one line per request: that would cost throughput).
    let logger: Logger

    /// Gathers the shared state of a server.
    init(catalog: any ContentCatalog, configuration: ContentServer.Configuration, bundleOrigins: BundleOriginMap, threadPool: NIOThreadPool, logger: Logger) {
        self.catalog = catalog
        self.bundleOrigins = bundleOrigins
        self.configuration = configuration
        self.headWriter = ResponseHeadWriter(
            serverName: configuration.serverName,
            contentSecurityPolicy: configuration.contentSecurityPolicy
        )
        self.boundary = MultipartLayout.randomBoundary()
        self.fileIO = NonBlockingFileIO(threadPool: threadPool)
        self.logger = logger
    }
}

/// The state one event loop keeps for all of its connections: small-file cache, URL memo, clock.
///
/// Touched only from its loop, which is why neither needs a lock.
final class LoopResources {
    /// This loop's share of the small-file cache.
    let cache: BlobCache
    /// This loop's `Date` header clock.
    let clock: HTTPDateClock
    /// This loop's memory of recently classified URLs.
    let targets = RequestTargetMemo()

    /// Resources with a cache of `cacheBudget` bytes.
    init(cacheBudget: Int, clock: HTTPDateClock = HTTPDateClock()) {
        self.cache = BlobCache(budget: cacheBudget)
        self.clock = clock
    }
}
