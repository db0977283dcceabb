import Foundation
import Hummingbird
import Logging
import RelaisContent
import RelaisCore
import RelaisLaunch
import RelaisPages
import RelaisStore
import RelaisXAPI

/// The portal's launch endpoints.
///
/// - `GET /lancer/{id}`: the first-name form (prefilled when this device launched before).
/// - `POST /lancer/{id}` (`prenom=…`, `csrf=…`): the guest learner, the launch, 303 to `/lecture/{launch}`.
/// - `GET /lecture/{launchId}`: the portal page that frames the player (or the cmi5 AU) on the
///   bundle's own origin, in a sandbox.
/// - `GET|POST /lancement/{launchId}/cmi`: the SCORM player's data model (CORS: the bundle's origin).
/// - `POST /lancement/{launchId}/fin`: the HTML5/video/PDF wrapper's end, with the time spent.
/// - `GET /lancement/{launchId}/plan`: the bundle's SCOs/AUs, the current one, flow and choice
///   (the player's table of contents and navigation requests).
/// - `POST /lancement/{launchId}/element` (`{"item": ID}`): a new launch of another SCO/AU of the
///   same bundle for the same learner; answers `{"url": …, "launch": …}`, the page the player
///   opens in its place (the portal's `/lecture/{launch}` frame stays).
/// - `POST /cmi5/fetch/{launchId}`: the cmi5 fetch URL (single use).
struct LaunchRoutes: Sendable {
    let box: Box
    let origins: BundleOriginMap
    let guardian: FormGuard
    let pages: PortalPages
    var service: LaunchService { LaunchService(box: box) }

    /// The cookie that remembers, on one device, who launched last (to prefill the form).
    static let learnerCookie = "relais_apprenant"
    static let maximumBody = 512 * 1024

    func register(on router: Router<PortalRequestContext>) {
        router.get("lancement/:launch/cmi") { request, context in
            try self.scormModel(request, launchID: context.parameters.get("launch") ?? "")
        }
        router.post("lancement/:launch/cmi") { request, context in
            try await self.refusingForeignOrigin(request) { try await self.scormCommit(request, launchID: context.parameters.get("launch") ?? "") }
        }
        router.post("lancement/:launch/fin") { request, context in
            try await self.refusingForeignOrigin(request) { try await self.end(request, launchID: context.parameters.get("launch") ?? "") }
        }
        router.post("cmi5/fetch/:launch") { request, context in
            try await self.refusingForeignOrigin(request) { try self.fetch(request, launchID: context.parameters.get("launch") ?? "") }
        }
        router.get("lancement/:launch/plan") { request, context in
            try self.plan(request, launchID: context.parameters.get("launch") ?? "")
        }
        router.post("lancement/:launch/element") { request, context in
            try await self.refusingForeignOrigin(request) { try await self.element(request, launchID: context.parameters.get("launch") ?? "") }
        }
        for path in ["lancement/:launch/cmi", "lancement/:launch/fin", "lancement/:launch/element", "cmi5/fetch/:launch"] {
            router.on(RouterPath(path), method: .options) { request, _ in self.preflight(request) }
        }
    }

    // MARK: the form and the launch

    /// `GET /lancer/{id}` for a bundle the school may open.
    func form(_ request: Request, _ context: PortalRequestContext, entry: CatalogEntry) throws -> Response {
        var firstName: String?
        if let person = context.signedIn?.person {
            // Staff launch as themselves (their own learner, pseudonymous like every actor).
            firstName = person.firstName
        } else if let value = request.cookies[Self.learnerCookie]?.value, let id = UUID(uuidString: value) {
            firstName = try box.learner(id: id)?.firstName
        }
        let (token, setCookie) = guardian.token(request, context)
        var response = learnerForm(request, context, entry: entry, csrf: token, firstName: firstName, problem: false)
        if let setCookie { response.headers[.setCookie] = setCookie }
        return response
    }

    func learnerForm(_ request: Request, _ context: PortalRequestContext, entry: CatalogEntry, csrf: String, firstName: String?, problem: Bool) -> Response {
        let page = LearnerFormPage(
            layout: pages.layout(request, context: context, csrf: csrf), bundleTitle: Bilingual(fr: entry.manifest.title.fr, en: entry.manifest.title.en),
            actionURL: formAction(request, entry: entry), firstName: firstName, problem: problem, backURL: backURL(request))
        return pages.response(page, status: problem ? .badRequest : .ok)
    }

    /// The way back (the pages add `?lang=en` themselves when English was asked).
    func backURL(_ request: Request) -> String { PortalPaths.catalogue }

    /// `POST /lancer/{id}`: launches for the guest learner of that first name, then sends the
    /// device to the portal page that frames the launch.
    func start(_ request: Request, _ context: PortalRequestContext, entry: CatalogEntry, origins launchOrigins: LaunchOrigins) async throws -> Response {
        guard let form = try await guardian.form(LaunchForm.self, request, context) else {
            return pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .expiredForm, backURL: backURL(request)), status: .badRequest)
        }
        let learner: Learner
        if let person = context.signedIn?.person {
            learner = try box.staffLearner(personId: person.id)
        } else {
            guard let typed = form.prenom, Learner.normalizedFirstName(typed) != nil else {
                return learnerForm(request, context, entry: entry, csrf: guardian.token(request, context).token, firstName: nil, problem: true)
            }
            learner = try box.guestLearner(firstName: typed)
        }
        let outcome = try service.launch(bundle: entry, learner: learner, origins: launchOrigins)
        box.logger.info(
            "launch", metadata: ["launch.id": "\(outcome.launch.id)", "launch.bundle": "\(entry.manifest.id)", "launch.standard": "\(outcome.launch.standard)"])
        let lang = PortalPages.language(request) == .en ? "?lang=en" : ""
        var headers: HTTPFields = [.location: "/lecture/\(outcome.launch.id)\(lang)", .cacheControl: "no-store"]
        // A guest's device remembers the first name for next time; a staff launch leaves no trace of it.
        if context.signedIn == nil {
            headers[.setCookie] = "\(Self.learnerCookie)=\(learner.localUserID); Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict"
        }
        return Response(status: .seeOther, headers: headers)
    }

    /// `GET /lecture/{launchId}`: the portal page framing what the launch opened, in a sandbox
    /// (scripts, forms, its own origin; never popups, top navigation, modals or downloads). The
    /// launch id is random (a bearer token, like the player's endpoints) and the page shows
    /// nothing else.
    func frame(_ request: Request, _ context: PortalRequestContext, launchID: String) throws -> Response {
        guard let launch = try box.launchRecord(id: launchID), let url = launch.frameUrl,
            let origin = bundleOrigin(request, bundleID: launch.bundleId), url.hasPrefix(origin + "/")
        else {
            return pages.refusal(
                request, context, status: .notFound,
                french: "Ce lancement n'existe pas ou plus. Revenez au catalogue et ouvrez la ressource à nouveau.",
                english: "This launch does not exist (any more). Go back to the catalogue and open the resource again.")
        }
        let manifest = try? service.manifest(of: launch)
        let title = Bilingual(fr: manifest?.title.fr ?? launch.bundleId, en: manifest?.title.en)
        // A pupil in a séance goes back to the séance's activities, anyone else to the catalogue.
        let back = context.seanceAccess?.role == .eleve ? PortalPaths.pupilActivities : backURL(request)
        let page = PlayerPage(layout: pages.layout(request, context: context), activityTitle: title, frameURL: url, backURL: back)
        // The page itself runs no script; it frames the bundle's origin and nothing else.
        let policy = "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-src \(origin); frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        return pages.response(page, headers: [.contentSecurityPolicy: policy])
    }

    func formAction(_ request: Request, entry: CatalogEntry) -> String {
        let lang = request.uri.queryParameters.get("lang") == "en" ? "?lang=en" : ""
        return "/lancer/" + ContentPath.encoded([entry.manifest.id]) + lang
    }

    /// The first-name form's fields (a body that does not decode is answered 400 by
    /// `FormErrorMiddleware`; a missing first name asks for it again).
    struct LaunchForm: PortalForm {
        var prenom: String?
        var csrf: String?
    }

    // MARK: player and AU endpoints (called from the content origin)

    func scormModel(_ request: Request, launchID: String) throws -> Response {
        do {
            let model = try service.scormModel(launchID: launchID)
            let document: JSONValue = ["cmi": .object(model.mapValues(JSONValue.string))]
            return json(document, request: request)
        } catch LaunchServiceError.unknownLaunch {
            return json(["error": "unknown launch"], status: .notFound, request: request)
        }
    }

    func scormCommit(_ request: Request, launchID: String) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: Self.maximumBody)
        guard let document = try? JSONValue(parsing: Array(buffer: body)), let event = document["event"]?.stringValue,
            let cmi = document["cmi"]?.objectValue
        else {
            return json(["error": "expected {\"event\": …, \"cmi\": {…}}"], status: .badRequest, request: request)
        }
        var elements: [String: String] = [:]
        for (key, value) in cmi {
            switch value {
            case .string(let s): elements[key] = s
            case .integer(let i): elements[key] = String(i)
            case .number(let d): elements[key] = String(d)
            case .bool(let b): elements[key] = String(b)
            default: continue
            }
        }
        do {
            let written = try service.commitScorm(launchID: launchID, event: event, cmi: elements)
            return json(["statements": .integer(Int64(written.count))], request: request)
        } catch LaunchServiceError.unknownLaunch {
            return json(["error": "unknown launch"], status: .notFound, request: request)
        } catch LaunchServiceError.unusable(let why) {
            return json(["error": .string(why)], status: .conflict, request: request)
        } catch LaunchServiceError.invalidBody(let why) {
            return json(["error": .string(why)], status: .badRequest, request: request)
        }
    }

    func plan(_ request: Request, launchID: String) throws -> Response {
        do {
            return json(try service.plan(launchID: launchID), request: request)
        } catch LaunchServiceError.unknownLaunch {
            return json(["error": "unknown launch"], status: .notFound, request: request)
        } catch LaunchServiceError.unusable(let why) {
            return json(["error": .string(why)], status: .conflict, request: request)
        }
    }

    /// The player opens another SCO/AU: only from the launch's own bundle origin (checked by
    /// `refusingForeignOrigin`, and required here: a request without Origin is no player).
    func element(_ request: Request, launchID: String) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16 * 1024)
        guard let item = (try? JSONValue(parsing: Array(buffer: body)))?["item"]?.stringValue, !item.isEmpty else {
            return json(["error": "expected {\"item\": \"the SCO or AU id\"}"], status: .badRequest, request: request)
        }
        guard allowedOrigin(request) != nil, let launch = try box.launchRecord(id: launchID),
            let launchOrigins = LaunchURL(request: request, origins: origins).launchOrigins(launch.bundleId)
        else {
            return json(["error": "this endpoint answers the player of the launch's own bundle only"], status: .forbidden, request: request)
        }
        do {
            let outcome = try service.launchItem(from: launchID, item: item, origins: launchOrigins)
            box.logger.info(
                "launch", metadata: ["launch.id": "\(outcome.launch.id)", "launch.bundle": "\(launch.bundleId)", "launch.item": "\(item)", "launch.from": "\(launchID)"])
            return json(["url": .string(outcome.redirect), "launch": .string(outcome.launch.id)], request: request)
        } catch LaunchServiceError.unknownLaunch {
            return json(["error": "unknown launch"], status: .notFound, request: request)
        } catch LaunchServiceError.unusable(let why) {
            return json(["error": .string(why)], status: .conflict, request: request)
        }
    }

    func end(_ request: Request, launchID: String) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 4096)
        let seconds = (try? JSONValue(parsing: Array(buffer: body)))?["seconds"]?.doubleValue ?? 0
        do {
            try service.end(launchID: launchID, seconds: seconds)
            return json(["ok": true], request: request)
        } catch LaunchServiceError.unknownLaunch {
            return json(["error": "unknown launch"], status: .notFound, request: request)
        }
    }

    func fetch(_ request: Request, launchID: String) throws -> Response {
        let answer = try Cmi5Launcher(service: service).fetch(launchID: launchID)
        return json(answer, request: request)
    }

    // MARK: CORS

    /// A bundle's own origin as this device reaches it (the portal's host, the bundle's port).
    func bundleOrigin(_ request: Request, bundleID: String) -> String? {
        LaunchURL(request: request, origins: origins).bundleOrigin(bundleID)
    }

    /// The origin of the launch's bundle when the request comes from it: the only origin whose
    /// pages may call a launch's endpoints.
    func allowedOrigin(_ request: Request) -> String? {
        guard let origin = request.headers[.origin], let launchID = Self.launchID(inPath: request.uri.path),
            let launch = try? box.launchRecord(id: launchID), origin == bundleOrigin(request, bundleID: launch.bundleId)
        else { return nil }
        return origin
    }

    /// `/lancement/{id}/…` and `/cmi5/fetch/{id}` → id.
    static func launchID(inPath path: String) -> String? {
        let parts = path.split(separator: "/")
        if parts.count >= 2, parts[0] == "lancement" { return String(parts[1]) }
        if parts.count == 3, parts[0] == "cmi5", parts[1] == "fetch" { return String(parts[2]) }
        return nil
    }

    /// A page of any other origin may not write here — another bundle's included: CORS only
    /// hides answers, while a plain POST (text/plain, sendBeacon) is sent without asking.
    /// Requests without Origin (not from a page) go through.
    func refusingForeignOrigin(_ request: Request, _ answer: () async throws -> Response) async throws -> Response {
        if request.headers[.origin] != nil, allowedOrigin(request) == nil {
            return json(["error": "this endpoint answers the pages of the launch's own bundle only"], status: .forbidden, request: request)
        }
        return try await answer()
    }

    func corsHeaders(_ request: Request) -> HTTPFields {
        var headers = HTTPFields()
        if let origin = allowedOrigin(request) {
            headers[.accessControlAllowOrigin] = origin
            headers[.vary] = "Origin"
        }
        return headers
    }

    func preflight(_ request: Request) -> Response {
        var headers = corsHeaders(request)
        if headers[.accessControlAllowOrigin] != nil {
            headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
            headers[.accessControlAllowHeaders] = "Content-Type, Authorization, X-Experience-API-Version"
            headers[.accessControlMaxAge] = "600"
        }
        return Response(status: .noContent, headers: headers)
    }

    func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, request: Request) -> Response {
        var headers = corsHeaders(request)
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: value.serialized())))
    }
}
