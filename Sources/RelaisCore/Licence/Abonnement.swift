/// One subscription of an établissement to a resource, with GAR's field names (product.md,
/// "Licence document") so a hub operator can map a GAR export 1:1.
public struct Abonnement: Sendable, Equatable {
    /// The subscription's identifier, unique within the document.
    public let idAbonnement: String
    /// The bundle id the subscription is for.
    public let idRessource: String
    /// The resource's name as the subscriber knows it (used in messages to the school).
    public let libelleRessource: String
    /// First second of validity (Unix seconds, UTC).
    public let debutValidite: Int64
    /// Last second of validity (Unix seconds, UTC), inclusive.
    public let finValidite: Int64
    public let typeAffectation: TypeAffectation
    public let seats: SeatLimits
    /// Who may see and use the resource; never empty.
    public let publicCible: Set<PublicCible>

    public init(
        idAbonnement: String, idRessource: String, libelleRessource: String, debutValidite: Int64, finValidite: Int64,
        typeAffectation: TypeAffectation, seats: SeatLimits, publicCible: Set<PublicCible>
    ) {
        self.idAbonnement = idAbonnement
        self.idRessource = idRessource
        self.libelleRessource = libelleRessource
        self.debutValidite = debutValidite
        self.finValidite = finValidite
        self.typeAffectation = typeAffectation
        self.seats = seats
        self.publicCible = publicCible
    }

    /// Whether the subscription is in force at `now` (both bounds included).
    public func isActive(at now: Int64) -> Bool { debutValidite <= now && now <= finValidite }
}

/// GAR's `typeAffectation`: licences given to the whole établissement or to named users.
public enum TypeAffectation: String, Sendable, Equatable, CaseIterable {
    case etablissement = "ETABL"
    case individuelle = "INDIV"
}

/// GAR's `publicCible` values: who a resource is meant for.
public enum PublicCible: String, Sendable, Hashable, CaseIterable {
    case eleve = "ELEVE"
    case enseignant = "ENSEIGNANT"
    case documentaliste = "DOCUMENTALISTE"
    case autrePersonnel = "AUTRE PERSONNEL"
}

/// A `nbLicence…` value: a number of seats, or GAR's `"ILLIMITE"`.
public enum SeatCount: Sendable, Equatable {
    case limited(Int)
    case unlimited
}

/// The seat counts of an abonnement: either one global count (`nbLicenceGlobale`) or counts per
/// public (`nbLicenceEleve`, `nbLicenceEnseignant`), as GAR exports them.
public struct SeatLimits: Sendable, Equatable {
    public let global: SeatCount?
    public let eleve: SeatCount?
    public let enseignant: SeatCount?

    public init(global: SeatCount? = nil, eleve: SeatCount? = nil, enseignant: SeatCount? = nil) {
        self.global = global
        self.eleve = eleve
        self.enseignant = enseignant
    }
}
