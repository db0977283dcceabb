/// Why a licence document was refused; each message names the abonnement and the field, and the
/// value found, so the hub operator can fix the GAR export or the file by hand.
public enum LicenceError: Error, Equatable, CustomStringConvertible {
    /// Not JSON, or JSON this parser refuses (duplicate key, float…).
    case notJSON(String)
    /// A problem with a top-level field (`uai`, `abonnements`, an unknown field).
    case document(String)
    /// A problem with a field of one abonnement (`idAbonnement` or its position when it has none).
    case abonnement(String, String)

    public var description: String {
        switch self {
        case .notJSON(let why): return "licence document is not valid JSON (\(why)); export it again from GAR or fix the file"
        case .document(let why): return "licence document: \(why)"
        case .abonnement(let id, let why): return "licence document: abonnement \(id): \(why)"
        }
    }
}
