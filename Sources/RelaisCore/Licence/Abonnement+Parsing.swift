extension Abonnement {
    /// Reads one abonnement object. Fields this type does not know are ignored (GAR exports carry
    /// more, e.g. `codeProjetRessource`), but a known field of the wrong type or value is refused.
    /// `position` (1-based) names the abonnement when it has no usable `idAbonnement`.
    init(_ json: JSONValue, position: Int) throws(LicenceError) {
        guard case .object = json else { throw .abonnement("#\(position)", "is not a JSON object") }
        guard case .string(let id)? = json["idAbonnement"], !id.isEmpty else {
            throw .abonnement("#\(position)", "idAbonnement is missing or not a non-empty string")
        }
        let fields = FieldReader(json: json, abonnement: id)
        idAbonnement = id
        idRessource = try fields.text("idRessource")
        guard BundleManifest.isReverseDNS(idRessource) else {
            throw .abonnement(id, "idRessource « \(idRessource) » is not a bundle id such as fr.editeur.calcul-mental")
        }
        libelleRessource = try fields.text("libelleRessource")
        debutValidite = try fields.time("debutValidite", dayOnlyMeans: 0)
        finValidite = try fields.time("finValidite", dayOnlyMeans: 86_399)
        guard debutValidite < finValidite else {
            throw .abonnement(id, "debutValidite \(UTCTime.format(debutValidite)) is not before finValidite \(UTCTime.format(finValidite))")
        }
        let type = try fields.text("typeAffectation")
        guard let affectation = TypeAffectation(rawValue: type) else {
            throw .abonnement(id, "typeAffectation « \(type) » is neither ETABL nor INDIV")
        }
        typeAffectation = affectation
        seats = try fields.seats()
        publicCible = try fields.audience()
    }
}

/// Typed access to an abonnement's fields, every error naming the abonnement and the field.
private struct FieldReader {
    let json: JSONValue
    let abonnement: String

    func fail(_ why: String) -> LicenceError { .abonnement(abonnement, why) }

    func text(_ name: String) throws(LicenceError) -> String {
        guard let value = json[name] else { throw fail("\(name) is missing") }
        guard case .string(let text) = value, !text.isEmpty else { throw fail("\(name) is not a non-empty string") }
        return text
    }

    /// A UTC time like 2027-08-31T23:59:59Z, or a bare day (2027-08-31) meaning that day plus
    /// `dayOnlyMeans` seconds (its first second for a start, its last for an end).
    func time(_ name: String, dayOnlyMeans offset: Int64) throws(LicenceError) -> Int64 {
        let value = try text(name)
        if let seconds = UTCTime.parse(value) { return seconds }
        if let midnight = UTCTime.parseDate(value) { return midnight + offset }
        throw fail("\(name) \(value) is not a date like 2027-08-31T23:59:59Z (or 2027-08-31)")
    }

    func count(_ name: String) throws(LicenceError) -> SeatCount? {
        switch json[name] {
        case nil: return nil
        case .integer(let n)? where n >= 0 && n <= Int64(Int32.max): return .limited(Int(n))
        case .string("ILLIMITE")?: return .unlimited
        case let other?:
            throw fail("\(name) is \(String(decoding: other.canonicalBytes(), as: UTF8.self)); it must be a whole number ≥ 0 or \"ILLIMITE\"")
        }
    }

    /// `nbLicenceGlobale`, or `nbLicenceEleve` and/or `nbLicenceEnseignant`, never both kinds.
    func seats() throws(LicenceError) -> SeatLimits {
        let limits = SeatLimits(global: try count("nbLicenceGlobale"), eleve: try count("nbLicenceEleve"), enseignant: try count("nbLicenceEnseignant"))
        if limits.global != nil, limits.eleve != nil || limits.enseignant != nil {
            throw fail("has nbLicenceGlobale and nbLicenceEleve/nbLicenceEnseignant; give either the global count or the counts per public")
        }
        if limits.global == nil, limits.eleve == nil, limits.enseignant == nil {
            throw fail("has no seat count; give nbLicenceGlobale, or nbLicenceEleve and/or nbLicenceEnseignant (a number or \"ILLIMITE\")")
        }
        return limits
    }

    func audience() throws(LicenceError) -> Set<PublicCible> {
        guard let value = json["publicCible"] else { throw fail("publicCible is missing") }
        guard case .array(let items) = value, !items.isEmpty else { throw fail("publicCible is not a non-empty list") }
        var audience = Set<PublicCible>()
        for item in items {
            guard case .string(let name) = item, let cible = PublicCible(rawValue: name) else {
                let known = PublicCible.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("publicCible holds \(String(decoding: item.canonicalBytes(), as: UTF8.self)), not one of \(known)")
            }
            audience.insert(cible)
        }
        return audience
    }
}
