import Hummingbird

/// Refuses every state-changing request (anything but GET, HEAD, OPTIONS) that a page of
/// another origin sent, before its route reads the body or writes anything.
///
/// Cookies ignore ports, so for the browser every bundle origin (`http://box:20003`) is the same
/// *site* as the portal (`http://box:8080`) and `SameSite=Strict` cookies go along with a form or
/// a no-cors `fetch` a bundle sends to the portal. The `Origin` header tells them apart: it must
/// be the portal's own origin — unless the route's rule in `AccessPolicy` says the route checks
/// it itself: launch endpoints (`/lancement/…`, `/cmi5/fetch/…`) and the LRS (`/xapi/…`), called
/// by the bundle's own pages, take only the one bundle origin the launch was made for. A request
/// without `Origin` comes from no page (curl, an xAPI client library) and carries no one's cookies
/// by accident. An unmatched path (a 404 to be) is held to the portal's origin too.
struct OriginCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch request.method {
        case .get, .head, .options: return try await next(request, context)
        default: break
        }
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let rule = context.endpointPath.flatMap { AccessPolicy.rule(method: request.method, path: $0) }
        if origin == PortalOrigin.of(request) || rule?.origin == .checkedByRoute {
            return try await next(request, context)
        }
        return PortalOrigin.refusal(origin: origin)
    }
}

/// The portal's origin as the device reached it, and the answer to a request from another one.
enum PortalOrigin {
    /// `http://` + the Host the request was sent to (the box is plain HTTP on the LAN).
    static func of(_ request: Request) -> String? {
        request.head.authority.map { "http://\($0)" }
    }

    /// 403, in French then English; nothing was read or written.
    static func refusal(origin: String) -> Response {
        let text = "Requête refusée : elle ne vient pas d'une page de la box (origine \(origin)). Rechargez la page de la box et recommencez.\n"
            + "Request refused: it does not come from a page of the box (origin \(origin)). Reload the box's page and try again.\n"
        return Response(
            status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
