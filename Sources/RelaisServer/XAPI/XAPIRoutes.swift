import Hummingbird
import RelaisContent
import RelaisCore
import RelaisStore
import RelaisXAPI

/// The box's local LRS under `/xapi/` on the portal origin (product.md, issue 4).
struct XAPIRoutes: Sendable {
    let box: Box
    let bundleOrigins: BundleOriginMap
    /// Called with each batch of statements once stored.
    var stored: @Sendable ([JSONValue]) -> Void = { _ in }

    func register<Context: RequestContext>(on router: Router<Context>) {
        let xapi = router.group("xapi").add(middleware: XAPIMiddleware())
        let gate = BodyGate()
        let statements = StatementsEndpoint(box: box, stored: stored, gate: gate, origins: bundleOrigins)
        let documents = DocumentsEndpoint(box: box, gate: gate, origins: bundleOrigins)
        let resources = ResourcesEndpoint(box: box, gate: gate, origins: bundleOrigins)
        xapi.get("about") { _, _ in
            XAPIResponse.json(.ok, (["version": [.string(XAPIHeaders.version)], "extensions": [:]] as JSONValue).serialized())
        }
        xapi.put("statements") { request, _ in try await statements.put(request) }
        xapi.post("statements") { request, _ in try await statements.post(request) }
        xapi.get("statements") { request, _ in try await statements.get(request) }
        xapi.get("activities") { request, _ in try await resources.activity(request) }
        xapi.get("agents") { request, _ in try await resources.person(request) }
        for (path, kind) in [("activities/state", DocumentsEndpoint.Kind.state), ("agents/profile", .agentProfile), ("activities/profile", .activityProfile)] {
            xapi.get(RouterPath(path)) { request, _ in try await documents.get(kind, request) }
            xapi.put(RouterPath(path)) { request, _ in try await documents.write(kind, request, merge: false) }
            xapi.post(RouterPath(path)) { request, _ in try await documents.write(kind, request, merge: true) }
            xapi.delete(RouterPath(path)) { request, _ in try await documents.delete(kind, request) }
        }
        // Any other path under /xapi/ is a 404 that still speaks xAPI (version header, JSON error).
        for method in [HTTPRequest.Method.get, .put, .post, .delete] {
            xapi.on("**", method: method) { _, _ -> Response in
                throw XAPIError.notFound("no xAPI resource at this path; the box serves statements, activities, activities/state, activities/profile, agents, agents/profile and about")
            }
        }
        // Preflights: content runs on the content origin and sends Authorization.
        for path in ["about", "statements", "activities", "activities/state", "activities/profile", "agents", "agents/profile"] {
            xapi.on(RouterPath(path), method: .options) { _, _ in Response(status: .noContent) }
        }
    }
}
