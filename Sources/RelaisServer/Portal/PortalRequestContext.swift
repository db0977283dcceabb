import Hummingbird
import NIOCore
import RelaisPages
import RelaisStore

/// What every portal request carries past `AccessMiddleware`: the staff member signed in on this
/// device (from the session cookie) and the language asked for.
struct PortalRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The session of the staff member signed in, nil for a pupil, a visitor or an LRS client.
    var signedIn: SignedIn?
    /// The session cookie's token when `signedIn` is set (sign-out deletes that session).
    var sessionToken: String?
    /// `?lang=en` gives English; French otherwise.
    var language: Language = .fr
    /// The client's address (sign-in throttling per address).
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The caller's role for the policy table.
    var role: PortalRole? {
        guard let person = signedIn?.person else { return nil }
        return person.role == .admin ? .admin : .enseignant
    }
}

/// Who calls the portal. `remplacant` (a hand-over code) and `eleve` (a séance join code) come
/// with the séance (issue 10): no route admits them yet.
enum PortalRole: String, Sendable, CaseIterable {
    case admin, enseignant, remplacant, eleve
}
