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
    /// The séance named by the path's `{seance}`: its teacher, the staff member who opened it
    /// (accès libre), or an admin.
    case seanceOwner
    /// The séance named by the path's `{seance}`: its owner (above), or the substitute this
    /// device's hand-over access names for that séance.
    case seanceRunner
    /// A pupil's access (join code + name) on this device; the route works within its séance only.
    case pupil
    /// A request from the box itself (peer 127.0.0.1 or ::1: a local Prometheus, `curl` over
    /// SSH), or a signed-in admin. Anyone else gets 403, never a redirect to the sign-in page.
    case adminOrLocal

    /// Whether the caller is admitted. `seance` is the séance of the path's `{seance}` (looked up
    /// only for the séance rules).
    func admits(_ caller: Caller, adminExists: () -> Bool, seance: () -> Seance?) -> Bool {
        switch self {
        case .everyone: return true
        case .staff: return caller.role == .admin || caller.role == .enseignant
        case .admin: return caller.role == .admin
        case .adminOrFirstVisit: return caller.role == .admin || !adminExists()
        case .seanceOwner: return Self.owns(caller, seance())
        case .seanceRunner:
            guard let seance = seance() else { return false }
            if Self.owns(caller, seance) { return true }
            return caller.signedInPerson == nil && caller.access?.role == .remplacant && caller.access?.seanceId == seance.id
        case .pupil: return caller.signedInPerson == nil && caller.access?.role == .eleve
        case .adminOrLocal: return caller.role == .admin || caller.fromLoopback
        }
    }

    static func owns(_ caller: Caller, _ seance: Seance?) -> Bool {
        guard let seance, let person = caller.signedInPerson else { return false }
        if caller.role == .admin { return true }
        return seance.teacherId == person || (seance.teacherId == nil && seance.createdBy == person)
    }

    /// Who calls, as the rules read it.
    struct Caller {
        let role: PortalRole?
        let signedInPerson: String?
        let access: SeanceAccess?
        /// The peer address is 127.0.0.1 or ::1.
        var fromLoopback = false
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
        // Prometheus text: the box itself (a local scraper) or an admin's session.
        Rule(method: .get, path: "/metrics", access: .adminOrLocal),
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
        // Séances (issue 10): staff prepare, hand over, open accès libre; owners see and run theirs.
        Rule(method: .get, path: "/enseignant/seances/nouvelle", access: .staff),
        Rule(method: .post, path: "/enseignant/seances", access: .staff),
        Rule(method: .post, path: "/enseignant/acces-libre", access: .staff),
        Rule(method: .get, path: "/enseignant/seances/{seance}", access: .seanceOwner),
        Rule(method: .post, path: "/enseignant/seances/{seance}", access: .seanceOwner),
        Rule(method: .post, path: "/enseignant/seances/{seance}/activites", access: .seanceOwner),
        Rule(method: .post, path: "/enseignant/seances/{seance}/activites/{position}/{move}", access: .seanceOwner),
        Rule(method: .post, path: "/enseignant/seances/{seance}/confier", access: .seanceOwner),
        Rule(method: .post, path: "/enseignant/seances/{seance}/revoquer", access: .seanceOwner),
        Rule(method: .post, path: "/enseignant/seances/{seance}/copier", access: .seanceOwner),
        Rule(method: .post, path: "/enseignant/seances/{seance}/supprimer", access: .seanceOwner),
        Rule(method: .get, path: "/enseignant/seances/{seance}/rapport.csv", access: .seanceOwner),
        // The substitute: a hand-over code (throttled) gives this device one séance for its window.
        Rule(method: .get, path: "/remplacant", access: .everyone),
        Rule(method: .post, path: "/remplacant", access: .everyone),
        Rule(method: .get, path: "/remplacant/{seance}", access: .seanceRunner),
        Rule(method: .post, path: "/remplacant/{seance}/demarrer", access: .seanceRunner),
        Rule(method: .post, path: "/remplacant/{seance}/terminer", access: .seanceRunner),
        Rule(method: .get, path: "/remplacant/{seance}/projection", access: .seanceRunner),
        Rule(method: .get, path: "/remplacant/{seance}/suivi", access: .seanceRunner),
        Rule(method: .get, path: "/static/suivi.js", access: .everyone),
        // Pupils: the join code (throttled), then their name, then the séance's activities only.
        Rule(method: .post, path: "/rejoindre", access: .everyone),
        Rule(method: .get, path: "/s/{code}", access: .everyone),
        Rule(method: .post, path: "/s/{code}", access: .everyone),
        Rule(method: .get, path: "/eleve", access: .pupil),
        Rule(method: .post, path: "/eleve/activites/{position}", access: .pupil),
        Rule(method: .post, path: "/eleve/sortir", access: .everyone),
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
    /// A substitute's or a pupil's access to one séance (`SeanceAccess`): HttpOnly, SameSite=Strict.
    static let seanceCookie = "relais_seance"
    let box: Box
    let pages: PortalPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.language = PortalPages.language(request)
        if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty, let session = try box.session(token: token) {
            context.signedIn = session
            context.sessionToken = token
        }
        if let token = request.cookies[Self.seanceCookie]?.value, !token.isEmpty, let access = try box.seanceAccess(token: token) {
            context.seanceAccess = access
            context.seanceToken = token
        }
        // Unmatched requests (404) carry no endpoint path yet; the not-found answer follows.
        guard let path = context.endpointPath else { return try await next(request, context) }
        guard let access = AccessPolicy.rule(method: request.method, path: path)?.access else {
            box.logger.error("a route is missing from the access policy table: refused", metadata: ["route": "\(request.method) \(path)"])
            return Response(status: .internalServerError)
        }
        let caller = Access.Caller(
            role: context.role, signedInPerson: context.signedIn?.person.id, access: context.seanceAccess, fromLoopback: context.fromLoopback)
        let seanceID = context.parameters.get("seance")
        let admitted = access.admits(
            caller, adminExists: { !((try? box.adminSetupPending()) ?? false) }, seance: { seanceID.flatMap { try? box.seance(id: $0) } })
        if admitted {
            return try await next(request, context)
        }
        if access == .adminOrLocal {
            return Response(
                status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: "Forbidden: /metrics answers the box itself (127.0.0.1, ::1) or a signed-in admin.\n")))
        }
        if context.signedIn != nil || context.seanceAccess != nil {
            return pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .forbidden), status: .forbidden)
        }
        if request.method == .get || request.method == .head {
            // A pupil goes back to typing the séance code, a substitute to typing the hand-over code.
            if access == .pupil { return Response(status: .seeOther, headers: [.location: PortalPaths.pupilHome, .cacheControl: "no-store"]) }
            if access == .seanceRunner { return Response(status: .seeOther, headers: [.location: PortalPaths.substitute, .cacheControl: "no-store"]) }
            let back = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-._~"))) ?? "/"
            return Response(status: .seeOther, headers: [.location: "/connexion?suite=\(back)", .cacheControl: "no-store"])
        }
        return pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .forbidden), status: .unauthorized)
    }
}
