import Foundation
import Hummingbird
import NIOCore
import RelaisCore
import RelaisStore
import RelaisXAPI

/// What every `/xapi/` exchange shares: CORS for content on the content origin (another port,
/// devices reach the box by various host names, so the Origin is echoed), the version header
/// required on requests (except /about and preflights) and sent on every response, and errors
/// turned into their xAPI status with a message naming the field.
struct XAPIMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if request.method == .options {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = XAPIHeaders.methods
            response.headers[.accessControlAllowHeaders] = XAPIHeaders.allowed
            response.headers[.accessControlMaxAge] = "86400"
        } else {
            do {
                try Self.checkVersion(request)
                response = try await next(request, context)
            } catch let error as XAPIError {
                response = Self.errorResponse(status: error.status, message: error.message)
                if error.status == 401 { response.headers[.wwwAuthenticate] = "Basic realm=\"relais xAPI\"" }
            } catch let busy as XAPIBusy {
                response = Self.errorResponse(status: 503, message: busy.message)
                response.headers[.retryAfter] = String(XAPIBodyLimits.retryAfterSeconds)
            } catch is NIOTooManyBytesError {
                response = Self.errorResponse(status: 413, message: "the request body is too large: send fewer statements per request")
            } catch let error as any HTTPResponseError {
                response = Self.errorResponse(status: Int(error.status.code), message: "\(error)")
            } catch {
                response = Self.errorResponse(status: 500, message: "\(error)")
            }
        }
        response.headers[XAPIHeaders.versionName] = XAPIHeaders.version
        if let origin = request.headers[.origin] {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = XAPIHeaders.exposed
            response.headers[.vary] = "Origin"
        }
        return response
    }

    /// 1.0.x on every request but /about (which clients call to learn the version).
    static func checkVersion(_ request: Request) throws(XAPIError) {
        if request.uri.path.hasSuffix("/about") { return }
        guard let version = request.headers[XAPIHeaders.versionName] else {
            throw .badRequest("the X-Experience-API-Version header is required (this LRS speaks \(XAPIHeaders.version))")
        }
        guard version == "1.0" || (version.hasPrefix("1.0.") && version.utf8.count > 4 && version.dropFirst(4).allSatisfy({ $0.isNumber })) else {
            throw .badRequest("X-Experience-API-Version \(version) is not supported (this LRS speaks \(XAPIHeaders.version))")
        }
    }

    static func errorResponse(status: Int, message: String) -> Response {
        XAPIResponse.json(HTTPResponse.Status(code: status), JSONValue.object(["error": true, "code": .integer(Int64(status)), "message": .string(message)]).serialized())
    }
}

/// Response builders of the xAPI routes.
enum XAPIResponse {
    static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8], headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func noContent(_ headers: HTTPFields = [:]) -> Response {
        Response(status: .noContent, headers: headers)
    }
}
