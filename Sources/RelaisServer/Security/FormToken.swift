import Crypto
import Foundation
import Hummingbird
import RelaisCore
import RelaisStore

/// CSRF tokens of the portal's forms, one more lock behind the Origin check.
///
/// Before sign-in (the learner's first-name form, the sign-in form) a device gets a random nonce
/// in an `HttpOnly; SameSite=Strict` cookie, and the form carries HMAC(key, nonce): a bundle that
/// sets a cookie for the box's host (cookies ignore ports) still cannot compute the matching
/// token. The key is drawn at each start of `relais serve`, so a form left open across a restart
/// asks to be reloaded. Signed-in forms carry their session's own token (stored in the database).
struct FormToken: Sendable {
    static let cookie = "relais_formulaire"
    static let field = "csrf"
    private let key: SymmetricKey

    init(key: SymmetricKey = SymmetricKey(size: .bits256)) {
        self.key = key
    }

    /// The device's nonce (from its cookie), or a new one to set with `setCookie`.
    func nonce(of request: Request) -> (nonce: String, isNew: Bool) {
        if let value = request.cookies[Self.cookie]?.value, value.count == 32, value.allSatisfy(\.isHexDigit) {
            return (value, false)
        }
        return (Secrets.randomHex(bytes: 16), true)
    }

    /// The token a form of this device carries.
    func token(nonce: String) -> String {
        Hex.encode(Array(HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: key)))
    }

    /// Whether a submitted token matches the device's cookie (compared in constant time).
    func isValid(_ submitted: String?, request: Request) -> Bool {
        guard let submitted, let value = request.cookies[Self.cookie]?.value, value.count == 32 else { return false }
        return Secrets.constantTimeEqual(token(nonce: value), submitted)
    }

    /// The `Set-Cookie` value of a new nonce.
    static func setCookie(_ nonce: String) -> String {
        "\(cookie)=\(nonce); Path=/; HttpOnly; SameSite=Strict"
    }
}
