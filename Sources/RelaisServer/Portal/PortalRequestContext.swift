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
    /// This device's access to one séance (a substitute's or a pupil's), from the `relais_seance`
    /// cookie; its token, to end it.
    var seanceAccess: SeanceAccess?
    var seanceToken: String?
    /// The client's address (sign-in throttling per address).
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The caller's role for the policy table: a staff session first, else the séance access.
    var role: PortalRole? {
        if let person = signedIn?.person { return person.role == .admin ? .admin : .enseignant }
        switch seanceAccess?.role {
        case .remplacant: return .remplacant
        case .eleve: return .eleve
        case nil: return nil
        }
    }

    /// Whether the client is the box itself (127.0.0.1, ::1, or IPv4 loopback mapped into IPv6).
    var fromLoopback: Bool {
        guard let ip = remoteAddress?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }

    /// The client's address, for throttling (the LAN has no proxy in front of the box).
    var address: String { remoteAddress.flatMap { $0.ipAddress } ?? "unknown" }
}

/// Who calls the portal: staff by their session; a substitute by the access a hand-over code
/// gave this device (one séance, for its window); a pupil by the access the join code and their
/// name gave it (one séance, while it runs).
enum PortalRole: String, Sendable, CaseIterable {
    case admin, enseignant, remplacant, eleve
}
