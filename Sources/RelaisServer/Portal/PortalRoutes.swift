import Foundation
import Hummingbird
import RelaisContent
import RelaisCore
import RelaisPages
import RelaisStore

/// The portal origin's routes: health, catalogue API and page, metrics.
struct PortalRoutes: Sendable {
    let box: Box
    let origins: BundleOriginMap
    let guardian: FormGuard
    let pages: PortalPages
    let metrics: RelaisMetrics

    func register(on router: Router<PortalRequestContext>) {
        router.get("healthz") { _, _ in try self.health() }
        router.get("api/v1/catalog") { request, _ in try self.catalogItems(for: request) }
        router.get("catalogue") { request, context in try self.cataloguePage(request, context) }
        router.get("metrics") { _, _ in try self.metricsText() }
        router.get(RouterPath(Assets.cssPath)) { _, _ in PortalPages.stylesheet() }
        // GET asks for the learner's first name, POST launches (Launch/LaunchRoutes.swift).
        router.get("lancer/:id") { request, context in try self.launchForm(request, context, id: context.parameters.get("id") ?? "") }
        router.post("lancer/:id") { request, context in try await self.startLaunch(request, context, id: context.parameters.get("id") ?? "") }
        // HEAD too: link checkers and download managers probe a launch address before opening it
        // (no launch is recorded: the answer is the bundle's entry, as before).
        router.head("lancer/:id") { request, context in try self.launch(request, context, id: context.parameters.get("id") ?? "") }
        // The portal page that frames a launch's player (or cmi5 AU) on the bundle's own origin.
        router.get("lecture/:launch") { request, context in try self.launchRoutes.frame(request, context, launchID: context.parameters.get("launch") ?? "") }
        launchRoutes.register(on: router)
    }

    func health() throws -> Health {
        Health(status: "ok", version: RelaisVersion.current, uai: try box.identity().uai)
    }

    func catalogItems(for request: Request) throws -> [CatalogItem] {
        let base = LaunchURL(request: request, origins: origins)
        return try entries(for: request).map {
            CatalogItem($0, launchUrl: base.launch($0.manifest.id), contentOrigin: base.bundleOrigin($0.manifest.id))
        }
    }

    /// The catalogue, limited to one public (`?public=ELEVE`, GAR `publicCible`) when asked.
    func entries(for request: Request) throws -> [CatalogEntry] {
        let entries = try box.catalog()
        guard let name = request.uri.queryParameters.get("public") else { return entries }
        guard let audience = PublicCible(rawValue: name.uppercased()) else {
            throw HTTPError(.badRequest, message: "public must be one of \(PublicCible.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return entries.filter { $0.audiences.contains(audience) }
    }

    var launchRoutes: LaunchRoutes { LaunchRoutes(box: box, origins: origins, guardian: guardian, pages: pages) }

    /// `HEAD /lancer/{id}`: 303 to the entry on the content origin of a bundle the school may
    /// use; otherwise a page that says, in French first, why not and what to do.
    func launch(_ request: Request, _ context: PortalRequestContext, id: String) throws -> Response {
        switch try launchable(request, context, id: id) {
        case .failure(let refusal): return refusal.response
        case .success(let entry):
            guard let url = LaunchURL(request: request, origins: origins).url(for: entry.manifest) else { return notListening(request, context) }
            return Response(status: .seeOther, headers: [.location: url, .cacheControl: "no-store"])
        }
    }

    /// `GET /lancer/{id}`: the first-name form of a bundle the school may use, or the refusal.
    func launchForm(_ request: Request, _ context: PortalRequestContext, id: String) throws -> Response {
        switch try launchable(request, context, id: id) {
        case .failure(let refusal): return refusal.response
        case .success(let entry):
            // No form for a bundle that cannot be opened now: the pupil would type a name for nothing.
            guard LaunchURL(request: request, origins: origins).bundleOrigin(entry.manifest.id) != nil else { return notListening(request, context) }
            return try launchRoutes.form(request, context, entry: entry)
        }
    }

    /// `POST /lancer/{id}`: the launch (303 to the content, through its player when it has one).
    func startLaunch(_ request: Request, _ context: PortalRequestContext, id: String) async throws -> Response {
        switch try launchable(request, context, id: id) {
        case .failure(let refusal): return refusal.response
        case .success(let entry):
            guard let launchOrigins = LaunchURL(request: request, origins: origins).launchOrigins(entry.manifest.id) else { return notListening(request, context) }
            return try await launchRoutes.start(request, context, entry: entry, origins: launchOrigins)
        }
    }

    /// The bundle has no origin listening (its port could not be bound, or the range is full).
    func notListening(_ request: Request, _ context: PortalRequestContext) -> Response {
        pages.refusal(
            request, context, status: .serviceUnavailable,
            french: "Cette ressource ne peut pas être ouverte pour l'instant : la box n'a pas pu lui ouvrir son adresse. Réessayez dans une minute ; si cela dure, l'administrateur trouvera la raison dans le journal de relais serve.",
            english: "This resource cannot be opened right now: the box could not open its address. Try again in a minute; if it lasts, the admin will find why in relais serve's log.")
    }

    /// A refusal page, as an error so `launchable` can return it in a `Result`.
    struct Refusal: Error {
        let response: Response
    }

    /// The catalogue entry of a bundle the school may open now, or the page that says why not.
    func launchable(_ request: Request, _ context: PortalRequestContext, id: String) throws -> Result<CatalogEntry, Refusal> {
        guard let entry = try box.catalogEntry(id: id, at: box.trustedNow()) else {
            return .failure(Refusal(response: pages.refusal(
                request, context, status: .notFound,
                french: "Cette ressource n'est pas installée sur la box. Revenez au catalogue pour choisir une ressource disponible.",
                english: "This resource is not installed on the box. Go back to the catalogue to pick an available one.")))
        }
        if let refusal = entry.refusal {
            return .failure(Refusal(response: pages.refusal(request, context, status: .forbidden, french: refusal.french, english: refusal.english)))
        }
        return .success(entry)
    }

    /// `GET /catalogue` (and `/`): the bundles that meet the filters of the query
    /// (`CatalogueFilter`: `cycle`, `discipline`, `type`, `standard`, `licence`, `public`, `q`;
    /// unknown values ignored), the filter form with the values kept, « N ressources sur M »; for
    /// signed-in staff, the training modules a solution advises that they have not completed.
    func cataloguePage(_ request: Request, _ context: PortalRequestContext) throws -> Response {
        let now = try box.trustedNow()
        let all = try box.catalog(at: now)
        let filter = CatalogueFilter(query: Self.query(of: request), now: now)
        let base = LaunchURL(request: request, origins: origins)
        let training = try TeacherTraining(box: box, personId: context.signedIn?.person.id, catalogue: all)
        let items = filter.apply(to: all).map { entry in
            Self.catalogueItem(entry, openURL: base.launch(entry.manifest.id), trainingAdvice: training.advice(for: entry, base: base))
        }
        let form = CatalogueFilterForm(action: PortalPaths.catalogue, filter: filter, options: CatalogueFilter.options(for: all))
        return pages.response(CataloguePage(layout: pages.layout(request, context: context), items: items, total: all.count, filterForm: form))
    }

    /// The query parameters of a request as one value per name (the first one given), decoded as
    /// a browser's GET form encodes them (`+` is a space: « calcul mental » arrives as
    /// `q=calcul+mental`); a query that does not decode is no filter.
    static func query(of request: Request) -> [String: String] {
        var query: [String: String] = [:]
        for (name, value) in (try? FormEncoded(request.uri.query))?.pairs ?? [] where query[name] == nil {
            query[name] = value
        }
        return query
    }

    /// A catalogue entry as the pages show it (titles in both languages, the licence explained,
    /// the training modules advised before use that the signed-in teacher has not completed).
    static func catalogueItem(_ entry: CatalogEntry, openURL: String, trainingAdvice: [CatalogueItem.TrainingAdvice] = []) -> CatalogueItem {
        let m = entry.manifest
        let note = entry.origin == .repository
            ? Bilingual(fr: entry.licence.frenchExplanation(resource: entry.resourceName), en: entry.licence.englishExplanation(resource: entry.resourceName))
            : nil
        return CatalogueItem(
            id: m.id, title: Bilingual(fr: m.title.fr, en: m.title.en), description: Bilingual(fr: m.description.fr, en: m.description.en),
            kind: m.kind, standard: m.standard, publisher: m.publisher, levels: m.levels, version: m.version, contentBytes: entry.contentBytes,
            durationMinutes: m.durationMinutes, licensed: entry.licensed, licenceNote: note, openURL: openURL, trainingAdvice: trainingAdvice)
    }

    /// `GET /metrics`: Prometheus text (requests and bytes by origin and code, counted as they are
    /// served; statements, outbox, syncs, disk read from the box now). Localhost or an admin only
    /// (`Access.adminOrLocal`).
    func metricsText() throws -> Response {
        let text = try metrics.exposition(box: box)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: text)))
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
    /// The bundle's own origin (`scheme://host:port`); null while it does not listen.
    let contentOrigin: String?

    init(_ entry: CatalogEntry, launchUrl: String, contentOrigin: String?) {
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
        self.contentOrigin = contentOrigin
    }
}
