import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import RelaisContent
import RelaisCore
import RelaisLaunch
import RelaisPages
import RelaisStore
import RelaisSync
import RelaisUpstream
import ServiceLifecycle

/// How `relais serve` listens, and how it holds up on the LAN.
///
/// Settings read by `ServerConfiguration(box:)`: `serve.host`, `serve.port`, `serve.contentPort`,
/// `serve.bundlePorts`, `serve.maxConnectionsPerAddress`, `serve.idleTimeoutSeconds`,
/// `serve.headerTimeoutSeconds`.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// Port of the portal (catalogue, API).
    public var port: Int
    /// Port of the shared content origin: the built-in pages, and redirects from
    /// `/b/{id}/{version}/{path}` to the bundle's own origin.
    public var contentPort: Int
    /// Ports of the bundles' own origins: each bundle is served from an origin of its own, so
    /// the browser keeps bundles apart from the portal and from each other.
    public var bundlePorts: BundlePorts
    /// How often the content origin checks the store for new versions.
    public var reloadInterval: Duration
    /// A connection of either port with no request in progress for this long is closed.
    public var idleTimeout: Duration
    /// A request head must arrive whole within this time of its first byte (else 408 and close).
    public var headerTimeout: Duration
    /// Connections one client address may hold open on each port; extra ones are closed at once.
    public var maxConnectionsPerAddress: Int
    /// Connections each port holds open at once in all; past it new ones wait in the listen
    /// backlog until one closes. The default follows the open-file limit at the time this
    /// configuration is made (`OpenFileLimit.connectionsPerPort`).
    public var maxConnections: Int

    public init(
        host: String = "0.0.0.0", port: Int = 8080, contentPort: Int = 8081, bundlePorts: BundlePorts = .ephemeral,
        reloadInterval: Duration = .seconds(1),
        idleTimeout: Duration = .seconds(60), headerTimeout: Duration = .seconds(10), maxConnectionsPerAddress: Int = 256,
        maxConnections: Int? = nil
    ) {
        self.host = host
        self.port = port
        self.contentPort = contentPort
        self.bundlePorts = bundlePorts
        self.reloadInterval = reloadInterval
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.maxConnections = maxConnections ?? OpenFileLimit.connectionsPerPort(softLimit: OpenFileLimit.current().soft)
    }

    /// The configuration the box's settings describe.
    public init(box: Box) throws {
        let number = { (key: String, fallback: Int) throws -> Int in Int(try box.setting(key)) ?? fallback }
        self.init(
            host: try box.setting("serve.host"), port: try number("serve.port", 8080),
            contentPort: try number("serve.contentPort", 8081),
            bundlePorts: BundlePorts(try box.setting("serve.bundlePorts")) ?? .range(20000...20999),
            idleTimeout: .seconds(try number("serve.idleTimeoutSeconds", 60)),
            headerTimeout: .seconds(try number("serve.headerTimeoutSeconds", 10)),
            maxConnectionsPerAddress: try number("serve.maxConnectionsPerAddress", 256))
    }
}

/// The portal's routes, without sockets (router tests use it as it is): pages, catalogue API,
/// launches and the local LRS, behind the Origin check that refuses a state-changing request from
/// any page but the portal's own (or, for launches and the LRS, the launch's bundle origin).
func buildRouter(box: Box, bundleOrigins: BundleOriginMap, logger: Logger, metrics: RelaisMetrics = RelaisMetrics()) throws -> Router<PortalRequestContext> {
    // Every template is parsed here: a broken one stops the start, naming itself.
    let pages = PortalPages(renderer: try PageRenderer(), box: box)
    let guardian = FormGuard(formToken: FormToken())
    // HEAD answers like GET without a body everywhere (xAPI 1.0.3 §1.1 asks it of the LRS).
    let router = Router(context: PortalRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Outermost: every answer counts in /metrics, refusals included.
    router.add(middleware: PortalMetricsMiddleware(metrics: metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: OriginCheckMiddleware())
    // Who may call what: AccessPolicy, checked on every route registered below.
    router.add(middleware: AccessMiddleware(box: box, pages: pages))
    router.add(middleware: FormErrorMiddleware(pages: pages))
    PortalRoutes(box: box, origins: bundleOrigins, guardian: guardian, pages: pages, metrics: metrics).register(on: router)
    SignInRoutes(box: box, pages: pages, guardian: guardian).register(on: router)
    AdminRoutes(box: box, pages: pages, guardian: guardian, pending: PendingImports()).register(on: router)
    TeacherRoutes(box: box, pages: pages, origins: bundleOrigins).register(on: router)
    // The séance prête: teachers prepare and hand over, substitutes run, pupils join by code.
    SeanceTeacherRoutes(box: box, pages: pages, guardian: guardian, origins: bundleOrigins).register(on: router)
    SubstituteRoutes(box: box, pages: pages, guardian: guardian, origins: bundleOrigins).register(on: router)
    PupilRoutes(box: box, pages: pages, guardian: guardian, origins: bundleOrigins).register(on: router)
    // The LRS tells the cmi5 launcher of stored statements, which writes `satisfied` (moveOn).
    XAPIRoutes(box: box, bundleOrigins: bundleOrigins, stored: Cmi5MoveOn(box: box, logger: logger).observer).register(on: router)
    return router
}

/// The composition root shared by `relais serve` and the tests: the portal (Hummingbird) with the
/// content origin and the index reloader as services of the same lifecycle.
///
/// A companion service that fails is logged and reported to `onServiceFailure` rather than
/// cancelling the group (see `FailureGuardedService`); `relais serve` then shuts down gracefully.
public func buildApplication(
    box: Box, configuration: ServerConfiguration, logger: Logger,
    onServiceFailure: @escaping @Sendable (any Error) -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let catalog = StoreContentCatalog()
    try catalog.reload(from: box)
    var contentConfiguration = LaunchContentPolicy.contentConfiguration(portalPort: configuration.port)
    contentConfiguration.idleTimeout = TimeAmount(configuration.idleTimeout)
    contentConfiguration.headerTimeout = TimeAmount(configuration.headerTimeout)
    contentConfiguration.maximumConnectionsPerAddress = max(1, configuration.maxConnectionsPerAddress)
    contentConfiguration.maximumConnections = max(1, configuration.maxConnections)
    // One registry per server: the portal, the shared content port and the bundles' own ports count into it.
    let metrics = RelaisMetrics()
    contentConfiguration.traffic = metrics.contentObserver
    let content = ContentServer(
        host: configuration.host, port: configuration.contentPort, catalog: catalog,
        configuration: contentConfiguration, logger: logger)
    let keeper = BundleOriginKeeper(box: box, content: content, ports: configuration.bundlePorts, logger: logger)
    let reloader = CatalogReloader(box: box, catalog: catalog, origins: keeper, interval: configuration.reloadInterval, logger: logger)
    let router = try buildRouter(box: box, bundleOrigins: content.bundleOrigins, logger: logger, metrics: metrics)
    var services: [any Service] = [content, reloader, PurgeService(box: box, logger: logger)]
    // The background push to the upstream LRS, when one is configured; it keeps to upstream.window.
    if try UpstreamConfiguration(box: box) != nil { services.append(UpstreamPushService(box: box, logger: logger)) }
    // The background pull from the signed repository, when one is configured (sync.intervalMinutes).
    if try !box.setting("repository.url").isEmpty { services.append(RepositorySyncService(box: box, logger: logger)) }
    services = services.map { FailureGuardedService(inner: $0, logger: logger, onFailure: onServiceFailure) }
    let perAddress = AddressConnectionLimit(maximumPerAddress: configuration.maxConnectionsPerAddress)
    let http1 = HTTP1Channel.Configuration(idleTimeout: TimeAmount(configuration.idleTimeout))
    let headerTimeout = TimeAmount(configuration.headerTimeout)
    let server = HTTPServerBuilder { responder in
        PortalChildChannel(http1: HTTP1Channel(responder: responder, configuration: http1), perAddress: perAddress, headerTimeout: headerTimeout)
    }
    return Application(
        router: router,
        server: server,
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "relais", backlog: 1024,
            // Past this many open connections the portal stops accepting until one closes, so it
            // keeps descriptors for the database instead of failing with "too many open files".
            availableConnectionsDelegate: MaximumAvailableConnections(max(1, configuration.maxConnections), logger: logger)),
        services: services,
        logger: logger)
}
