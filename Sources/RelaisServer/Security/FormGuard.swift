import Hummingbird
import RelaisCore
import RelaisStore

/// The CSRF token of a device's forms: its session's own token when signed in, else the HMAC of
/// a cookie nonce (`FormToken`); checked in constant time on every POST of a form.
struct FormGuard: Sendable {
    let formToken: FormToken

    /// The token the page's forms carry, and the `Set-Cookie` of a new nonce when one was drawn.
    func token(_ request: Request, _ context: PortalRequestContext) -> (token: String, setCookie: String?) {
        if let session = context.signedIn { return (session.csrfToken, nil) }
        let (nonce, isNew) = formToken.nonce(of: request)
        return (formToken.token(nonce: nonce), isNew ? FormToken.setCookie(nonce) : nil)
    }

    func isValid(_ submitted: String?, _ request: Request, _ context: PortalRequestContext) -> Bool {
        guard let session = context.signedIn else { return formToken.isValid(submitted, request: request) }
        guard let submitted else { return false }
        return Secrets.constantTimeEqual(submitted, session.csrfToken)
    }
}

extension FormGuard {
    /// A form of the portal decoded (`decodeForm`) and its CSRF field checked: nil when the token
    /// is not this device's (the caller answers « page expirée »).
    func form<T: PortalForm>(_ type: T.Type, _ request: Request, _ context: PortalRequestContext) async throws -> T? {
        let form = try await decodeForm(T.self, request)
        return isValid(form.csrf, request, context) ? form : nil
    }
}

/// A form the portal's pages post: every one carries the `csrf` field.
protocol PortalForm: Decodable {
    var csrf: String? { get }
}
