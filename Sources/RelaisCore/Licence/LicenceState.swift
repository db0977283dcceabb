/// Whether a bundle may be used at a given time, from the établissement's licence document.
public enum LicenceState: Sendable, Equatable {
    /// The bundle needs no licence (a training module, or a solution published as free).
    case notRequired
    /// An abonnement is in force until `until` (Unix seconds, inclusive).
    case active(until: Int64, abonnement: String)
    /// The nearest abonnement starts at `from`.
    case notYetValid(from: Int64, abonnement: String)
    /// The latest abonnement ended at `since`.
    case expired(since: Int64, abonnement: String)
    /// No abonnement names the bundle.
    case none

    /// Whether the bundle may be launched.
    public var allowsLaunch: Bool {
        switch self {
        case .notRequired, .active: return true
        case .notYetValid, .expired, .none: return false
        }
    }

    /// One sentence for the catalogue, in French, that says what to do when the bundle cannot
    /// be used; `resource` is the name to show (the abonnement's libellé or the bundle's title).
    public func frenchExplanation(resource: String) -> String {
        switch self {
        case .notRequired:
            return "Ressource libre : aucune licence n'est nécessaire."
        case .active(let until, _):
            return "Licence valable jusqu'au \(UTCTime.frenchDay(until))."
        case .notYetValid(let from, _):
            return "Licence valable à partir du \(UTCTime.frenchDay(from)) : « \(resource) » s'ouvrira ce jour-là ; si c'est une erreur, demandez à l'administrateur de l'établissement de vérifier la date de début de l'abonnement."
        case .expired(let since, _):
            return "Licence expirée le \(UTCTime.frenchDay(since)) : demandez à l'administrateur de l'établissement de renouveler l'abonnement « \(resource) »."
        case .none:
            return "Aucune licence pour « \(resource) » dans l'établissement : demandez à l'administrateur de souscrire l'abonnement (GAR), puis de synchroniser la box."
        }
    }

    /// The same sentence in English.
    public func englishExplanation(resource: String) -> String {
        switch self {
        case .notRequired:
            return "Free resource: no licence is needed."
        case .active(let until, _):
            return "Licensed until \(UTCTime.isoDay(until))."
        case .notYetValid(let from, _):
            return "Licence valid from \(UTCTime.isoDay(from)): “\(resource)” opens that day; if this is a mistake, ask the school's administrator to check the subscription's start date."
        case .expired(let since, _):
            return "Licence expired on \(UTCTime.isoDay(since)): ask the school's administrator to renew the subscription to “\(resource)”."
        case .none:
            return "No licence for “\(resource)” in this school: ask the school's administrator to subscribe (GAR), then to sync the box."
        }
    }

    /// The message refusing a launch, in French then English; nil when the launch is allowed.
    public func refusal(resource: String) -> (french: String, english: String)? {
        guard !allowsLaunch else { return nil }
        return ("Impossible d'ouvrir « \(resource) ». " + frenchExplanation(resource: resource),
                "“\(resource)” cannot be opened. " + englishExplanation(resource: resource))
    }
}
