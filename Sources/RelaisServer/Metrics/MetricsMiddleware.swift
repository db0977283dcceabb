import Hummingbird

/// Counts every portal response by status code, with its body length when known (a streamed body
/// of unknown length counts 0 bytes). Outermost, so refusals of the access policy count too.
struct PortalMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RelaisMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.responded(origin: .portal, status: Int(response.status.code), bodyBytes: Int64(response.body.contentLength ?? 0))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.responded(origin: .portal, status: Int(status), bodyBytes: 0)
            throw error
        }
    }
}
