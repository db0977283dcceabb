/// The licences of one établissement: the repository target `licences/{UAI}.json` (product.md,
/// "Licence document"). The hub validates it on `relais repo add`; the box reads it after sync
/// to decide what the catalogue shows and what may be launched, offline.
public struct LicenceDocument: Sendable, Equatable {
    public let uai: UAI
    public let abonnements: [Abonnement]

    /// Parses and validates a document strictly: duplicate keys and non-integer numbers are
    /// refused by the JSON parser; every known field is checked for type and value.
    ///
    /// Unknown fields are ignored, at the top level as inside abonnements: GAR exports carry
    /// more, and a field added by a newer hub must not make an older box drop every licence.
    /// - Parameter expectedUAI: the UAI the file is for (from its name or repository path); a
    ///   document for another établissement is refused.
    public init(json bytes: [UInt8], expectedUAI: UAI? = nil) throws(LicenceError) {
        let json: JSONValue
        do { json = try JSONValue(parsing: bytes, numbers: .integersOnly) } catch {
            throw LicenceDocument.explain(error, in: bytes)
        }
        try self.init(json, expectedUAI: expectedUAI)
    }

    /// Validates an already parsed document.
    init(_ json: JSONValue, expectedUAI: UAI?) throws(LicenceError) {
        guard case .object = json else { throw .document("the file must hold one JSON object with uai and abonnements") }
        guard case .string(let text)? = json["uai"] else { throw .document("uai is missing or not a string") }
        let uai: UAI
        do { uai = try UAI(text) } catch { throw .document("uai \(text) is not valid: \(error.description)") }
        if let expectedUAI, expectedUAI != uai {
            throw .document("uai \(uai.value) does not match \(expectedUAI.value), the établissement this file is for; check the file name or the export")
        }
        guard case .array(let items)? = json["abonnements"] else { throw .document("abonnements is missing or not a list") }
        var abonnements: [Abonnement] = []
        var seen = Set<String>()
        for (index, item) in items.enumerated() {
            let abonnement = try Abonnement(item, position: index + 1)
            guard seen.insert(abonnement.idAbonnement).inserted else {
                throw .abonnement(abonnement.idAbonnement, "idAbonnement appears twice; each abonnement needs its own id")
            }
            abonnements.append(abonnement)
        }
        self.uai = uai
        self.abonnements = abonnements
    }

    /// Every abonnement for the bundle `bundleID` (GAR's `idRessource`).
    public func abonnements(for bundleID: String) -> [Abonnement] {
        abonnements.filter { $0.idRessource == bundleID }
    }

    /// The licence state of a bundle at `now`. With several abonnements for one resource the best
    /// one wins: in force (the one lasting longest), else starting soonest, else ended last.
    public func state(of bundleID: String, licenceRequired: Bool, at now: Int64) -> LicenceState {
        guard licenceRequired else { return .notRequired }
        let candidates = abonnements(for: bundleID)
        if let best = candidates.filter({ $0.isActive(at: now) }).max(by: { $0.finValidite < $1.finValidite }) {
            return .active(until: best.finValidite, abonnement: best.idAbonnement)
        }
        if let next = candidates.filter({ $0.debutValidite > now }).min(by: { $0.debutValidite < $1.debutValidite }) {
            return .notYetValid(from: next.debutValidite, abonnement: next.idAbonnement)
        }
        if let last = candidates.max(by: { $0.finValidite < $1.finValidite }) {
            return .expired(since: last.finValidite, abonnement: last.idAbonnement)
        }
        return .none
    }

    /// The name the subscriber knows the resource by (`libelleRessource`), for messages.
    public func resourceName(of bundleID: String) -> String? {
        abonnements(for: bundleID).first?.libelleRessource
    }

    /// Whether `audience` sees the bundle: the union of its abonnements' `publicCible`, whatever
    /// their dates (an expired resource stays listed, with its state). Without any abonnement, only
    /// a resource that needs no licence is visible, to everyone.
    public func isVisible(_ bundleID: String, licenceRequired: Bool, to audience: PublicCible) -> Bool {
        let candidates = abonnements(for: bundleID)
        if candidates.isEmpty { return !licenceRequired }
        return candidates.contains { $0.publicCible.contains(audience) }
    }

    /// Turns a JSON parse error into one a hub operator can act on. A number with a fraction or
    /// an exponent is named by the field the reader found it in and, when it sits in an
    /// abonnement, by that abonnement (its idAbonnement, else its position, as validation names it).
    static func explain(_ error: JSONSyntaxError, in bytes: [UInt8]) -> LicenceError {
        guard case .notAnInteger(let offset, let path) = error else { return .notJSON(error.description) }
        func why(_ field: [JSONPathComponent]) -> String {
            "\(field.isEmpty ? "a number" : JSONPathComponent.text(of: field)) is \(numberText(at: offset, in: bytes)): numbers must be whole (a seat count is an integer or \"ILLIMITE\")"
        }
        guard path.count > 2, path[0] == .key("abonnements"), case .index(let index) = path[1] else { return .document(why(path)) }
        let document = try? JSONValue(parsing: bytes, numbers: .integersAndFractions)
        let id = document?[path: Array(path.prefix(2))]?["idAbonnement"]?.stringValue ?? ""
        return .abonnement(id.isEmpty ? "#\(index + 1)" : id, why(Array(path.dropFirst(2))))
    }

    /// The number token starting at `offset`.
    private static func numberText(at offset: Int, in bytes: [UInt8]) -> String {
        String(decoding: bytes[offset...].prefix { !",}] \n\r\t".utf8.contains($0) }, as: UTF8.self)
    }
}
