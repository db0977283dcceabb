import Foundation
import Hummingbird
import Logging
import NIOCore
import RelaisContent
import RelaisCore
import RelaisStore
import RelaisUpstream
import ServiceLifecycle

/// How `relais serve` listens.
///
/// Settings read by `ServerConfiguration(box:)`: `serve.host`, `serve.port`, `serve.contentPort`.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// Port of the portal (catalogue, API).
    public var port: Int
    /// Port of the content origin (`/b/{id}/{version}/{path}`), a separate origin so bundles
    /// cannot read the portal's cookies or call its API as the user.
    public var contentPort: Int
    /// How often the content origin checks the store for new versions.
    public var reloadInterval: Duration

    public init(host: String = "0.0.0.0", port: Int = 8080, contentPort: Int = 8081, reloadInterval: Duration = .seconds(1)) {
        self.host = host
        self.port = port
        self.contentPort = contentPort
        self.reloadInterval = reloadInterval
    }

    /// The configuration the box's settings describe.
    public init(box: Box) throws {
        self.init(
            host: try box.setting("serve.host"), port: Int(try box.setting("serve.port")) ?? 8080,
            contentPort: Int(try box.setting("serve.contentPort")) ?? 8081)
    }
}

/// The composition root shared by `relais serve` and the tests: the portal (Hummingbird) with the
/// content origin and the index reloader as services of the same lifecycle.
public func buildApplication(box: Box, configuration: ServerConfiguration, logger: Logger) throws -> some ApplicationProtocol {
    let catalog = StoreContentCatalog()
    try catalog.reload(from: box)
    let content = ContentServer(
        host: configuration.host, port: configuration.contentPort, catalog: catalog,
        configuration: LaunchContentPolicy.contentConfiguration(portalPort: configuration.port), logger: logger)
    let reloader = CatalogReloader(box: box, catalog: catalog, interval: configuration.reloadInterval, logger: logger)
    // HEAD answers like GET without a body everywhere (xAPI 1.0.3 §1.1 asks it of the LRS).
    let router = Router(options: .autoGenerateHeadEndpoints)
    PortalRoutes(box: box, contentPort: configuration.contentPort).register(on: router)
    // The LRS tells the cmi5 launcher of stored statements, which writes `satisfied` (moveOn).
    XAPIRoutes(box: box, stored: Cmi5MoveOn(box: box, logger: logger).observer).register(on: router)
    var services: [any Service] = [content, reloader]
    // The background push to the upstream LRS, when one is configured; it keeps to upstream.window.
    if try UpstreamConfiguration(box: box) != nil { services.append(UpstreamPushService(box: box, logger: logger)) }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "relais"),
        services: services,
        logger: logger)
}
