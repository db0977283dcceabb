import Foundation
import Hummingbird
import NIOCore
import RelaisCore
import RelaisPages
import RelaisStore

/// Staff sign-in and sign-out, and a new password with a one-time code from the admin.
///
/// - `GET /connexion`: the form (`?suite=/path` to come back to after signing in).
/// - `POST /connexion` (`login`, `password`, `csrf`): a new session (a new id at every sign-in,
///   so a cookie planted before cannot be fixated), 303 to `suite`, `/admin` or `/enseignant`;
///   one generic refusal; throttled per account and per address (429 with `Retry-After`).
/// - `POST /connexion/nouveau-mot-de-passe` (`login`, `code`, `password`, `confirm`, `csrf`).
/// - `POST /deconnexion`: ends this device's session.
struct SignInRoutes: Sendable {
    let box: Box
    let pages: PortalPages
    let guardian: FormGuard

    struct SignInForm: PortalForm {
        var login: String?
        var password: String?
        var csrf: String?
    }

    struct ResetForm: PortalForm {
        var login: String?
        var code: String?
        var password: String?
        var confirm: String?
        var csrf: String?
    }

    struct SignOutForm: PortalForm {
        var csrf: String?
    }

    func register(on router: Router<PortalRequestContext>) {
        router.get("connexion") { request, context in self.form(request, context) }
        router.post("connexion") { request, context in try await self.signIn(request, context) }
        router.post("connexion/nouveau-mot-de-passe") { request, context in try await self.reset(request, context) }
        router.post("deconnexion") { request, context in try await self.signOut(request, context) }
    }

    /// The sign-in page, with this device's CSRF token (and its nonce cookie when new).
    func page(
        _ request: Request, _ context: PortalRequestContext, status: HTTPResponse.Status = .ok, build: (Layout) -> SignInPage
    ) -> Response {
        let (token, setCookie) = guardian.token(request, context)
        var headers = HTTPFields()
        if let setCookie { headers[.setCookie] = setCookie }
        var page = build(pages.layout(request, context: context, csrf: token))
        page.returnPath = request.uri.queryParameters.get("suite").flatMap(Self.localPath)
        return pages.response(page, status: status, headers: headers)
    }

    func form(_ request: Request, _ context: PortalRequestContext) -> Response {
        page(request, context) { SignInPage(layout: $0, passwordMinimum: Passwords.minimumLength) }
    }

    /// The client's address, for throttling (the LAN has no proxy in front of the box).
    static func address(_ context: PortalRequestContext) -> String {
        context.remoteAddress.flatMap { $0.ipAddress } ?? "unknown"
    }

    func signIn(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let form = try await guardian.form(SignInForm.self, request, context) else { return expired(request, context) }
        let login = PeopleText.normalizedLogin(form.login ?? "")
        // bcrypt takes ~0.3 s of CPU: on the password threads, not the handlers' pool.
        let outcome = try await PasswordWork.run { [box] in
            try box.signIn(login: login, password: form.password ?? "", address: Self.address(context))
        }
        switch outcome {
        case .success(let person, let session):
            // A session this device had (or a cookie planted for the box's host) is dropped.
            if let old = context.sessionToken { try? box.deleteSession(token: old) }
            let suite = request.uri.queryParameters.get("suite").flatMap(Self.localPath)
            let home = suite ?? (person.role == .admin ? PortalPaths.admin : PortalPaths.teacher)
            return Response(
                status: .seeOther,
                headers: [.location: home, .cacheControl: "no-store", .setCookie: Self.sessionCookie(session.token, box: box)])
        case .refused:
            return page(request, context, status: .unauthorized) { SignInPage(layout: $0, login: login, failed: true) }
        case .throttled(let retryAfter):
            let seconds = max(1, Int(retryAfter.components.seconds))
            var response = page(request, context, status: .tooManyRequests) {
                SignInPage(layout: $0, login: login, throttledMinutes: (seconds + 59) / 60)
            }
            response.headers[.retryAfter] = String(seconds)
            return response
        }
    }

    func reset(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard let form = try await guardian.form(ResetForm.self, request, context) else { return expired(request, context) }
        let login = PeopleText.normalizedLogin(form.login ?? "")
        let password = form.password ?? ""
        if let problem: SignInPage.ResetProblem =
            password.count < Passwords.minimumLength ? .passwordTooShort(minimum: Passwords.minimumLength)
            : password != (form.confirm ?? "") ? .passwordsDiffer : nil
        {
            return page(request, context, status: .badRequest) { SignInPage(layout: $0, resetLogin: login, resetProblem: problem) }
        }
        do {
            _ = try await PasswordWork.run { [box] in
                try box.redeemResetCode(login: login, code: form.code ?? "", newPassword: password, address: Self.address(context))
            }
        } catch let error as PeopleError {
            if error.kind == .throttled {
                return pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .throttled(minutes: 15)), status: .tooManyRequests)
            }
            return page(request, context, status: .badRequest) { SignInPage(layout: $0, resetLogin: login, resetProblem: .invalidCode) }
        }
        return page(request, context) { SignInPage(layout: $0, login: login, passwordChanged: true) }
    }

    func signOut(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let form = try await decodeForm(SignOutForm.self, request)
        if let token = context.sessionToken {
            guard guardian.isValid(form.csrf, request, context) else { return expired(request, context) }
            try box.deleteSession(token: token)
        }
        return Response(
            status: .seeOther,
            headers: [.location: PortalPaths.signIn, .cacheControl: "no-store", .setCookie: "\(AccessMiddleware.sessionCookie)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"])
    }

    func expired(_ request: Request, _ context: PortalRequestContext) -> Response {
        pages.response(MessagePage(layout: pages.layout(request, context: context), kind: .expiredForm, backURL: request.uri.path), status: .badRequest)
    }

    /// The session cookie: HttpOnly, SameSite=Strict, for the box's whole portal, as long as the
    /// session's absolute expiry at most.
    static func sessionCookie(_ token: String, box: Box) -> String {
        let hours = Int((try? box.setting("portal.sessionMaxHours")) ?? "") ?? 12
        return "\(AccessMiddleware.sessionCookie)=\(token); Path=/; Max-Age=\(hours * 3600); HttpOnly; SameSite=Strict"
    }

    /// A path of this portal to come back to (`/admin/classes/…`), never another site's.
    static func localPath(_ value: String) -> String? {
        guard value.hasPrefix("/"), !value.hasPrefix("//"), !value.hasPrefix("/\\"), !value.contains(where: { $0.isNewline || $0 == " " }) else { return nil }
        return value
    }
}
