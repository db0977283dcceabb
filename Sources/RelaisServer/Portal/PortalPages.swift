import Hummingbird
import RelaisPages
import RelaisStore

/// The portal's pages: one renderer (every template parsed once, at startup) and the layout
/// every page shares (the school's name, the language asked, the path for the language switch).
struct PortalPages: Sendable {
    let renderer: PageRenderer
    let box: Box

    /// The language a request asks for (`?lang=en`; French otherwise).
    static func language(_ request: Request) -> Language {
        Language(query: request.uri.queryParameters.get("lang"))
    }

    /// A page as an HTML answer, never cached (it shows the box as it is now).
    func response(_ page: some PageModel, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentLanguage] = page.layout.language.rawValue
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: renderer.render(page))))
    }

    /// The refusal of a launch: why, in French then English, and the way back.
    func refusal(_ request: Request, _ context: PortalRequestContext, status: HTTPResponse.Status, french: String, english: String) -> Response {
        response(LaunchRefusalPage(layout: layout(request, context: context), status: Int(status.code), french: french, english: english), status: status)
    }

    /// `GET /static/relais.css`: the one stylesheet, cached for a year (its URL carries its hash).
    static func stylesheet() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=31536000, immutable"],
            body: .init(byteBuffer: ByteBuffer(string: Assets.css)))
    }
}

extension PortalPages {
    /// The layout of every page: the school's name, who is signed in (shown in the header), the CSRF
    /// token its forms carry (the session's unless told), the path for the language switch.
    func layout(_ request: Request, context: PortalRequestContext, csrf: String? = nil) -> Layout {
        let person = context.signedIn.map { session in
            Layout.Person(
                name: "\(session.person.firstName) \(session.person.lastName)", role: session.person.role == .admin ? .admin : .enseignant)
        }
        return Layout(
            schoolName: (try? box.identity().name) ?? "Relais", person: person, csrf: csrf ?? context.signedIn?.csrfToken,
            path: request.uri.description, language: context.language)
    }
}
