import Hummingbird
import RelaisPages
import RelaisStore

/// Who may call a route.
enum Access: Sendable, Equatable {
    /// Anyone on the LAN: pupils (no account), visitors, the bundles' own pages (their routes
    /// check the launch's origin and bearer id), LRS clients (their routes check credentials).
    case everyone
    /// A signed-in admin or enseignant.
    case staff
    /// A signed-in admin.
    case admin
    /// A signed-in admin, or anyone while the box has no admin yet (the first visit's setup).
    case adminOrFirstVisit

    func admits(_ role: PortalRole?, adminExists: () -> Bool) -> Bool {
        switch self {
        case .everyone: return true
        case .staff: return role == .admin || role == .enseignant
        case .admin: return role == .admin
        case .adminOrFirstVisit: return role == .admin || !adminExists()
        }
    }
}

/// Which page may send a state-changing request to a route (`OriginCheckMiddleware`).
enum OriginRule: Sendable, Equatable {
    /// Only the portal's own pages (or no page at all: a request without `Origin`).
    case portal
    /// The route checks the origin itself: the launch's own bundle origin (launch endpoints) or
    /// the credential's (the LRS).
    case checkedByRoute
}

/// The one table of who may call what: every route of the portal, by method and path as
/// registered, with the roles it admits and the pages it takes writes from. `AccessMiddleware` and
/// `OriginCheckMiddleware` check it on every request; a route missing from it answers 500 (closed,
/// never open), and `AccessPolicyTests` walks every rule with every role and with none.
enum AccessPolicy {
    struct Rule: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let access: Access
        var origin: OriginRule = .portal
    }

    static let rules: [Rule] = [
        // Public pages and API.
        Rule(method: .get, path: "/", access: .everyone),
        Rule(method: .get, path: "/catalogue", access: .everyone),
        Rule(method: .get, path: "/healthz", access: .everyone),
        Rule(method: .get, path: "/api/v1/catalog", access: .everyone),
        Rule(method: .get, path: "/metrics", access: .everyone),
        Rule(method: .get, path: "/static/relais.css", access: .everyone),
        // Launches: pupils have no account; the launch id is the bearer, the bundle origin is checked.
        Rule(method: .get, path: "/lancer/{id}", access: .everyone),
        Rule(method: .post, path: "/lancer/{id}", access: .everyone),
        Rule(method: .head, path: "/lancer/{id}", access: .everyone),
        Rule(method: .get, path: "/lecture/{launch}", access: .everyone),
        Rule(method: .get, path: "/lancement/{launch}/cmi", access: .everyone, origin: .checkedByRoute),
        Rule(method: .post, path: "/lancement/{launch}/cmi", access: .everyone, origin: .checkedByRoute),
        Rule(method: .options, path: "/lancement/{launch}/cmi", access: .everyone, origin: .checkedByRoute),
        Rule(method: .post, path: "/lancement/{launch}/fin", access: .everyone, origin: .checkedByRoute),
        Rule(method: .options, path: "/lancement/{launch}/fin", access: .everyone, origin: .checkedByRoute),
        // Content structure (issue 10): the player's table of contents, and another SCO/AU of the same bundle.
        Rule(method: .get, path: "/lancement/{launch}/plan", access: .everyone, origin: .checkedByRoute),
        Rule(method: .post, path: "/lancement/{launch}/element", access: .everyone, origin: .checkedByRoute),
        Rule(method: .options, path: "/lancement/{launch}/element", access: .everyone, origin: .checkedByRoute),
        Rule(method: .post, path: "/cmi5/fetch/{launch}", access: .everyone, origin: .checkedByRoute),
        Rule(method: .options, path: "/cmi5/fetch/{launch}", access: .everyone, origin: .checkedByRoute),
        // Sign-in (throttled, CSRF-checked); sign-out ends this device's session, if any.
        Rule(method: .get, path: "/connexion", access: .everyone),
        Rule(method: .post, path: "/connexion", access: .everyone),
        Rule(method: .post, path: "/connexion/nouveau-mot-de-passe", access: .everyone),
        Rule(method: .post, path: "/deconnexion", access: .everyone),
        // Admin: the first visit sets the admin up with the code `relais init` printed.
        Rule(method: .get, path: "/admin", access: .adminOrFirstVisit),
        Rule(method: .post, path: "/admin/installation", access: .adminOrFirstVisit),
        Rule(method: .post, path: "/admin/personnel", access: .admin),
        Rule(method: .post, path: "/admin/personnel/import", access: .admin),
        Rule(method: .post, path: "/admin/personnel/{id}/code", access: .admin),
        Rule(method: .post, path: "/admin/personnel/{id}/desactiver", access: .admin),
        Rule(method: .post, path: "/admin/import/confirmer", access: .admin),
        Rule(method: .post, path: "/admin/classes", access: .admin),
        Rule(method: .get, path: "/admin/classes/{id}", access: .admin),
        Rule(method: .post, path: "/admin/classes/{id}/eleves", access: .admin),
        Rule(method: .post, path: "/admin/classes/{id}/eleves/import", access: .admin),
        Rule(method: .post, path: "/admin/classes/{id}/eleves/{pupil}/retirer", access: .admin),
        Rule(method: .post, path: "/admin/classes/{id}/supprimer", access: .admin),
        // Teachers.
        Rule(method: .get, path: "/enseignant", access: .staff),
    ] + xapiRules

    /// The local LRS: every resource checks its own Basic credentials (xAPI), CORS preflights too.
    static let xapiRules: [Rule] = {
        var rules: [Rule] = [Rule(method: .get, path: "/xapi/about", access: .everyone, origin: .checkedByRoute)]
        for path in ["statements", "activities", "activities/state", "activities/profile", "agents", "agents/profile", "about"] {
            rules.append(Rule(method: .options, path: "/xapi/\(path)", access: .everyone, origin: .checkedByRoute))
        }
        for method in [HTTPRequest.Method.put, .post, .get] { rules.append(Rule(method: method, path: "/xapi/statements", access: .everyone, origin: .checkedByRoute)) }
        rules.append(Rule(method: .get, path: "/xapi/activities", access: .everyone, origin: .checkedByRoute))
        rules.append(Rule(method: .get, path: "/xapi/agents", access: .everyone, origin: .checkedByRoute))
        for path in ["activities/state", "agents/profile", "activities/profile"] {
            for method in [HTTPRequest.Method.get, .put, .post, .delete] { rules.append(Rule(method: method, path: "/xapi/\(path)", access: .everyone, origin: .checkedByRoute)) }
        }
        for method in [HTTPRequest.Method.get, .put, .post, .delete] { rules.append(Rule(method: method, path: "/xapi/**", access: .everyone, origin: .checkedByRoute)) }
        return rules
    }()

    /// The rule of a route; HEAD falls back to GET's (Hummingbird answers HEAD for every GET).
    static func rule(method: HTTPRequest.Method, path: String) -> Rule? {
        if let rule = byRoute[RouteKey(method: method, path: path)] { return rule }
        if method == .head { return byRoute[RouteKey(method: .get, path: path)] }
        return nil
    }

    static func access(method: HTTPRequest.Method, path: String) -> Access? {
        rule(method: method, path: path)?.access
    }

    private struct RouteKey: Hashable {
        let method: HTTPRequest.Method
        let path: String
    }

    /// The table by route, built once (looked up on every request).
    private static let byRoute: [RouteKey: Rule] = Dictionary(
        rules.map { (RouteKey(method: $0.method, path: $0.path), $0) }, uniquingKeysWith: { first, _ in first })
}

/// Reads the session cookie into the context, then applies `AccessPolicy` to the matched route:
/// no session where one is needed → 303 to `/connexion` (pages) or 401; the wrong role → 403.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext
    static let sessionCookie = "relais_session"
    let box: Box
    let pages: PortalPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.language = PortalPages.language(request)
        if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty, let session = try box.session(token: token) {
            context.signedIn = session
            context.sessionToken = token
        }
        // Unmatched requests (404) carry no endpoint path yet; the not-found answer follows.
        guard let path = context.endpointPath else { return try await next(request, context) }
        guard let access = AccessPolicy.rule(method: request.method, path: path)?.access else {
            box.logger.error("a route is missing from the access policy table: refused", metadata: ["route": "\(request.method) \(path)"])
            return Response(status: .internalServerError)
        }
        if access.admits(context.role, adminExists: { !((try? box.adminSetupPending()) ?? false) }) {
            return try await next(request, context)
        }
        if context.signedIn != nil {
            return pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .forbidden), status: .forbidden)
        }
        if request.method == .get || request.method == .head {
            let back = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-._~"))) ?? "/"
            return Response(status: .seeOther, headers: [.location: "/connexion?suite=\(back)", .cacheControl: "no-store"])
        }
        return pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .forbidden), status: .unauthorized)
    }
}
