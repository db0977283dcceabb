import Hummingbird
import NIOCore
import RelaisPages
import RelaisStore

/// A form body that does not decode, or one too large, or a value the people layer refuses that
/// the handler did not turn into a field problem (a name of 200 characters sent past the page's
/// `maxlength`), gets a page that says what to do (400 or 413), never a bare 500: nothing was
/// written (each change of the people layer is one transaction). The LRS answers its own errors in xAPI
/// form (`XAPIMiddleware`) and is not concerned.
struct FormErrorMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext
    let pages: PortalPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch is UndecodableForm, is PeopleError {
            return pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .badRequest, backURL: back(request)), status: .badRequest)
        } catch let error where Self.isTooLarge(error) && !request.uri.path.hasPrefix("/xapi/") {
            return pages.response(
                MessagePage(layout: pages.layout(request, context: context), kind: .badRequest, backURL: back(request)), status: .contentTooLarge)
        }
    }

    static func isTooLarge(_ error: any Error) -> Bool {
        if error is NIOTooManyBytesError { return true }
        return (error as? HTTPError)?.status == .contentTooLarge
    }

    /// The page the form came from is not known; the home of the area it belongs to is.
    func back(_ request: Request) -> String {
        let path = request.uri.path
        if path.hasPrefix("/admin") { return PortalPaths.admin }
        if path.hasPrefix("/connexion") || path.hasPrefix("/deconnexion") { return PortalPaths.signIn }
        return PortalPaths.catalogue
    }
}

/// A form body that is not `application/x-www-form-urlencoded` as the page sends it.
struct UndecodableForm: Error {}

/// Decodes an `application/x-www-form-urlencoded` body with Hummingbird's decoder (at most 64 KiB);
/// `UndecodableForm` when it does not decode (answered 400 by `FormErrorMiddleware`).
func decodeForm<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
    var request = request
    let body = try await request.collectBody(upTo: 64 * 1024)
    do {
        return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: body))
    } catch {
        throw UndecodableForm()
    }
}
