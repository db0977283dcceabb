/// How many distinct (pseudonymous) users of each public used one abonnement's resource; the box
/// counts them from its usage records.
public struct SeatUsage: Sendable, Equatable {
    public var eleve: Int
    public var enseignant: Int
    public var documentaliste: Int
    public var autrePersonnel: Int

    public init(eleve: Int = 0, enseignant: Int = 0, documentaliste: Int = 0, autrePersonnel: Int = 0) {
        self.eleve = eleve
        self.enseignant = enseignant
        self.documentaliste = documentaliste
        self.autrePersonnel = autrePersonnel
    }

    /// Every user, whatever their public (what `nbLicenceGlobale` counts).
    public var total: Int { eleve + enseignant + documentaliste + autrePersonnel }
}

/// More distinct users than an abonnement's seats. A warning for the admin and the décompte
/// report only: going over never refuses a launch, so a class in progress is never cut off.
public struct SeatWarning: Sendable, Equatable {
    /// Which count was exceeded.
    public enum Scope: String, Sendable, Equatable {
        case global = "nbLicenceGlobale"
        case eleve = "nbLicenceEleve"
        case enseignant = "nbLicenceEnseignant"
    }

    public let idAbonnement: String
    public let libelleRessource: String
    public let scope: Scope
    public let seats: Int
    public let users: Int

    /// For the admin page, in French.
    public var french: String {
        "Abonnement « \(libelleRessource) » (\(idAbonnement)) : \(users) utilisateurs pour \(seats) licences (\(scope.rawValue)). L'accès n'est pas coupé ; pensez à ajuster l'abonnement."
    }

    /// The same in English.
    public var english: String {
        "Subscription “\(libelleRessource)” (\(idAbonnement)): \(users) users for \(seats) seats (\(scope.rawValue)). Access is not cut off; consider adjusting the subscription."
    }
}

extension Abonnement {
    /// The seat counts `usage` goes over, if any.
    public func seatWarnings(for usage: SeatUsage) -> [SeatWarning] {
        let checks: [(SeatWarning.Scope, SeatCount?, Int)] = [
            (.global, seats.global, usage.total), (.eleve, seats.eleve, usage.eleve), (.enseignant, seats.enseignant, usage.enseignant),
        ]
        return checks.compactMap { scope, count, users in
            guard case .limited(let limit)? = count, users > limit else { return nil }
            return SeatWarning(idAbonnement: idAbonnement, libelleRessource: libelleRessource, scope: scope, seats: limit, users: users)
        }
    }
}
