import HTTPTypes
import Hummingbird

/// Headers every portal answer carries: no page of the portal may be framed by another origin (a
/// bundle framing `/admin` to make a teacher click there gets an empty frame), no MIME sniffing,
/// and the full URL never leaves as a referrer.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var frameOptions: HTTPField.Name { HTTPField.Name("X-Frame-Options")! }
    static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = "frame-ancestors 'none'" }
        response.headers[Self.frameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[Self.referrerPolicy] == nil { response.headers[Self.referrerPolicy] = "same-origin" }
        return response
    }
}
