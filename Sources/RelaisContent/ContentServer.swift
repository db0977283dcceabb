import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The content origins: serves GET/HEAD /b/{id}/{version}/{path} until graceful shutdown.
///
/// One server listens on a shared port (the box's built-in pages, and a redirect from
/// `/b/{id}/…` to that bundle's own origin) and on one port per bundle (`openBundleOrigins`): a
/// bundle's port serves that bundle's files and the built-in pages, nothing of another bundle, so
/// the browser's same-origin policy keeps each bundle's scripts, storage and frames apart. All the
/// ports share the connection bounds, the caches and the shutdown.
///
/// A lean SwiftNIO HTTP/1.1 server rather than a Hummingbird route: every response is written
/// straight from the event loop (no async hop per request), small files come from memory and
/// large ones go to the socket with sendfile. Usage:
///
/// ```swift
/// let server = ContentServer(host: "0.0.0.0", port: 8081, catalog: snapshot, logger: logger)
/// let port = try await server.start()   // optional: binds now and tells the port (useful with port 0)
/// let ports = await server.openBundleOrigins(["fr.editeur.quiz": 20000])   // 0: any free port
/// try await server.run()                // binds if needed, serves until graceful shutdown or cancellation
/// ```
public final class ContentServer: Service {
    /// Sent to every connection when the server shuts down: finish the current answer, then close.
    struct Quiesce: Sendable {}

    private enum Lifecycle {
        case binding(EventLoopFuture<Int>)
        case running(port: Int, tracker: NIOLoopBound<ConnectionTracker>, resources: [ObjectIdentifier: NIOLoopBound<LoopResources>])
        case stopped
    }

    private let host: String
    private let port: Int
    private let origin: ContentOrigin
    private let group: any EventLoopGroup
    /// The loop that owns the listening socket and this object's lifecycle state.
    private let controlLoop: any EventLoop
    private let lifecycle: NIOLoopBoundBox<Lifecycle?>
    private let logger: Logger
    /// Which port each bundle's own origin listens on (read by the shared port for redirects).
    public let bundleOrigins: BundleOriginMap

    /// A server for `catalog` on host:port (port 0 picks a free port; `start()` tells which).
    public init(
        host: String,
        port: Int,
        catalog: any ContentCatalog,
        configuration: ContentServer.Configuration = .init(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        bundleOrigins: BundleOriginMap = BundleOriginMap(),
        logger: Logger
    ) {
        self.bundleOrigins = bundleOrigins
        self.host = host
        self.port = port
        self.group = group
        self.controlLoop = group.next()
        self.lifecycle = .makeEmptyBox(valueType: Lifecycle.self, eventLoop: controlLoop)
        self.logger = logger
        self.origin = ContentOrigin(catalog: catalog, configuration: configuration, bundleOrigins: bundleOrigins, threadPool: .singleton, logger: logger)
    }

    /// Binds the listening socket (once) and returns the port it listens on.
    public func start() async throws -> Int {
        try await controlLoop.flatSubmit { self.startOnControlLoop() }.get()
    }

    /// Serves until a graceful shutdown (ServiceLifecycle) or cancellation, then stops accepting,
    /// lets in-flight answers finish within the grace period, and returns.
    public func run() async throws {
        _ = try await start()
        let finished = try await controlLoop.submit { () -> EventLoopFuture<Void> in
            guard case .running(_, let tracker, _) = self.lifecycle.value else {
                return self.controlLoop.makeSucceededVoidFuture()
            }
            return tracker.value.finished.futureResult
        }.get()
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                try? await finished.get()
            } onCancel: {
                self.shutdown()
            }
        } onGracefulShutdown: {
            self.shutdown()
        }
        logger.info("content origin stopped", metadata: ["content.host": "\(host)"])
    }

    /// Starts draining: closes the listening socket and asks connections to finish.
    private func shutdown() {
        controlLoop.execute {
            guard case .running(let port, let tracker, _) = self.lifecycle.value else { return }
            self.lifecycle.value = .stopped
            self.logger.info("content origin shutting down", metadata: ["content.port": "\(port)"])
            tracker.value.drain()
        }
    }

    private func startOnControlLoop() -> EventLoopFuture<Int> {
        switch lifecycle.value {
        case .binding(let future): return future
        case .running(let port, _, _): return controlLoop.makeSucceededFuture(port)
        case .stopped: return controlLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        case nil: break
        }
        let configuration = origin.configuration
        let tracker = NIOLoopBound(
            ConnectionTracker(
                loop: controlLoop, gracePeriod: configuration.shutdownGracePeriod,
                maximumPerAddress: configuration.maximumConnectionsPerAddress,
                maximumConnections: configuration.maximumConnections, logger: logger),
            eventLoop: controlLoop
        )
        let bound = makeLoopResources().flatMap { resources in
            self.bootstrap(resources: resources, tracker: tracker, scope: .shared).bind(host: self.host, port: self.port).map { ($0, resources) }
        }.flatMapThrowing { (channel, resources) -> Int in
            guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
            self.lifecycle.value = .running(port: port, tracker: tracker, resources: resources)
            self.logger.info("content origin listening", metadata: ["content.host": "\(self.host)", "content.port": "\(port)"])
            return port
        }
        bound.whenFailure { error in
            // No server to drain: whoever awaits `finished` (run) must not wait forever.
            self.lifecycle.value = nil
            tracker.value.finished.fail(error)
        }
        lifecycle.value = .binding(bound)
        return bound
    }

    /// One cache and one date clock per event loop, each created on its own loop.
    private func makeLoopResources() -> EventLoopFuture<[ObjectIdentifier: NIOLoopBound<LoopResources>]> {
        let loops = Array(group.makeIterator())
        let budget = origin.configuration.cacheBudget / max(1, loops.count)
        let made = loops.map { loop in
            loop.submit { (ObjectIdentifier(loop), NIOLoopBound(LoopResources(cacheBudget: budget), eventLoop: loop)) }
        }
        return EventLoopFuture.whenAllSucceed(made, on: controlLoop).map { Dictionary($0, uniquingKeysWith: { first, _ in first }) }
    }

    /// Binds a listening socket for each bundle of `ports` that has none yet (port 0: any free
    /// port) and returns the port of every bundle origin now listening. A port that cannot be
    /// bound (in use by another program) is logged and left out; the next call tries again.
    /// Binds the shared port first when `start()` has not.
    @discardableResult
    public func openBundleOrigins(_ ports: [String: Int]) async -> [String: Int] {
        do { _ = try await start() } catch {
            logger.error("cannot open bundle origins: the shared port is not listening", metadata: ["content.error": "\(error)"])
            return bundleOrigins.all
        }
        let wanted = ports.filter { bundleOrigins.port(of: $0.key) == nil }
        for (bundleID, port) in wanted.sorted(by: { $0.key < $1.key }) {
            do {
                let bound = try await controlLoop.flatSubmit { () -> EventLoopFuture<Int> in
                    guard case .running(_, let tracker, let resources) = self.lifecycle.value else {
                        return self.controlLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
                    }
                    return self.bootstrap(resources: resources, tracker: tracker, scope: .bundle(bundleID))
                        .bind(host: self.host, port: port)
                        .flatMapThrowing { channel in
                            guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
                            return port
                        }
                }.get()
                bundleOrigins.set(bundleID, port: bound)
                logger.debug("bundle origin listening", metadata: ["content.bundle": "\(bundleID)", "content.port": "\(bound)"])
            } catch {
                logger.error(
                    "cannot listen on a bundle's port: its launches are refused until it can",
                    metadata: ["content.bundle": "\(bundleID)", "content.port": "\(port)", "content.error": "\(error)"])
            }
        }
        return bundleOrigins.all
    }

    private func bootstrap(
        resources: [ObjectIdentifier: NIOLoopBound<LoopResources>],
        tracker: NIOLoopBound<ConnectionTracker>,
        scope: ContentScope
    ) -> ServerBootstrap {
        let origin = self.origin
        let fallbackBudget = origin.configuration.cacheBudget / 8
        return ServerBootstrap(group: controlLoop, childGroup: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Out of descriptors (EMFILE): stop accepting for a moment rather than spin on
                    // the readable listening socket; the tracker logs it and serving goes on.
                    try channel.pipeline.syncOperations.addHandler(AcceptBackoffHandler())
                    try channel.pipeline.syncOperations.addHandler(tracker.value.gate(primary: scope == .shared))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // A loop the group did not list up front gets its own resources per connection.
                    let loopResources = resources[ObjectIdentifier(channel.eventLoop)]?.value
                        ?? LoopResources(cacheBudget: fallbackBudget)
                    try channel.pipeline.syncOperations.addHandler(ContentConnectionHandler(origin: origin, resources: loopResources, scope: scope))
                }
            }
    }
}
