import Foundation
import Hummingbird
import RelaisCore
import RelaisStore

/// The portal origin's routes: health, catalogue API and page, metrics.
struct PortalRoutes: Sendable {
    let box: Box
    let contentPort: Int

    func register(on router: Router<BasicRequestContext>) {
        router.get("healthz") { _, _ in try self.health() }
        router.get("api/v1/catalog") { request, _ in try self.catalogItems(for: request) }
        router.get("/") { request, _ in try self.cataloguePage(for: request) }
        router.get("catalogue") { request, _ in try self.cataloguePage(for: request) }
        router.get("metrics") { _, _ in try self.metrics() }
    }

    func health() throws -> Health {
        Health(status: "ok", version: RelaisVersion.current, uai: try box.identity().uai)
    }

    func catalogItems(for request: Request) throws -> [CatalogItem] {
        let base = LaunchURL(request: request, contentPort: contentPort)
        return try box.catalog().map { CatalogItem($0, launchUrl: base.url(for: $0.manifest)) }
    }

    func cataloguePage(for request: Request) throws -> Response {
        let language = PortalLanguage(query: request.uri.queryParameters.get("lang"))
        let base = LaunchURL(request: request, contentPort: contentPort)
        let page = CataloguePage(box: try box.identity(), entries: try box.catalog(), language: language, launchURL: base)
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentLanguage: language.rawValue],
            body: .init(byteBuffer: ByteBuffer(string: page.render())))
    }

    func metrics() throws -> Response {
        let status = try box.status()
        let text = """
            # HELP relais_bundles Bundles installed on the box.
            # TYPE relais_bundles gauge
            relais_bundles \(status.bundles.count)
            # HELP relais_store_bytes Bytes of content stored (after deduplication).
            # TYPE relais_store_bytes gauge
            relais_store_bytes \(status.storedBytes)
            # HELP relais_store_saved_bytes Bytes saved by deduplication.
            # TYPE relais_store_saved_bytes gauge
            relais_store_saved_bytes \(status.savedBytes)
            # HELP relais_disk_free_bytes Free bytes on the data folder's file system.
            # TYPE relais_disk_free_bytes gauge
            relais_disk_free_bytes \(status.diskFreeBytes)

            """
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// `GET /healthz`.
struct Health: ResponseCodable {
    let status: String
    let version: String
    let uai: String
}

/// One element of `GET /api/v1/catalog` (product.md): the contract's fields, then extras.
struct CatalogItem: ResponseCodable {
    let id: String
    let version: String
    let kind: String
    let title: String
    let standard: String
    let licensed: Bool
    let launchUrl: String
    let description: String
    let publisher: String
    let levels: [String]
    let subjects: [String]
    let sizeBytes: Int64
    let origin: String

    init(_ entry: CatalogEntry, launchUrl: String) {
        let m = entry.manifest
        id = m.id
        version = m.version
        kind = m.kind.rawValue
        title = m.title.fr
        standard = m.standard.rawValue
        licensed = entry.licensed
        self.launchUrl = launchUrl
        description = m.description.fr
        publisher = m.publisher
        levels = m.levels.map(\.rawValue)
        subjects = m.subjects
        sizeBytes = entry.contentBytes
        origin = entry.origin.rawValue
    }
}
