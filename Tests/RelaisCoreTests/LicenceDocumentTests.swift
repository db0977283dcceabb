import Foundation
import RelaisCore
import Testing

/// The demo licence document from seeds/, and the states, audiences and seats read from it.
struct LicenceDocumentTests {
    static func seed() throws -> [UInt8] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return Array(try Data(contentsOf: root.appendingPathComponent("seeds/licences/0189990L.json")))
    }

    let september2026 = UTCTime.parse("2026-09-01T00:00:00Z")!
    let november2026 = UTCTime.parse("2026-11-29T10:00:00Z")!
    let endOf2027 = UTCTime.parse("2027-08-31T23:59:59Z")!

    @Test func readsTheSeedDocument() throws {
        let document = try LicenceDocument(json: try Self.seed(), expectedUAI: try UAI("0189990L"))
        #expect(document.uai.value == "0189990L")
        #expect(document.abonnements.count == 5)
        let calcul = try #require(document.abonnements(for: "fr.relais.demo.calcul-mental").first)
        #expect(calcul.idAbonnement == "RELAIS-DEMO-0189990L-001")
        #expect(calcul.libelleRessource == "Calcul mental")
        #expect(calcul.debutValidite == september2026)
        #expect(calcul.finValidite == endOf2027)
        #expect(calcul.typeAffectation == .etablissement)
        #expect(calcul.seats == SeatLimits(global: .unlimited))
        #expect(calcul.publicCible == [.eleve, .enseignant])
        let fractions = try #require(document.abonnements(for: "fr.relais.demo.fiche-fractions").first)
        #expect(fractions.seats == SeatLimits(eleve: .limited(30), enseignant: .limited(5)))
        #expect(fractions.typeAffectation == .individuelle)
    }

    @Test func refusesTheSeedForAnotherEtablissement() throws {
        #expect(throws: LicenceError.self) { try LicenceDocument(json: try Self.seed(), expectedUAI: try UAI("0750654D")) }
    }

    @Test func statesFollowTheDatesAndTheLicenceRequirement() throws {
        let document = try LicenceDocument(json: try Self.seed())
        #expect(document.state(of: "fr.relais.demo.calcul-mental", licenceRequired: true, at: november2026)
            == .active(until: endOf2027, abonnement: "RELAIS-DEMO-0189990L-001"))
        #expect(document.state(of: "fr.relais.demo.calcul-mental", licenceRequired: true, at: september2026 - 1)
            == .notYetValid(from: september2026, abonnement: "RELAIS-DEMO-0189990L-001"))
        #expect(document.state(of: "fr.relais.demo.calcul-mental", licenceRequired: true, at: endOf2027)
            == .active(until: endOf2027, abonnement: "RELAIS-DEMO-0189990L-001"))
        #expect(document.state(of: "fr.relais.demo.calcul-mental", licenceRequired: true, at: endOf2027 + 1)
            == .expired(since: endOf2027, abonnement: "RELAIS-DEMO-0189990L-001"))
        #expect(document.state(of: "fr.editeur-exemple.lecture-flash", licenceRequired: true, at: november2026)
            == .expired(since: UTCTime.parse("2025-08-31T23:59:59Z")!, abonnement: "RELAIS-DEMO-0189990L-005"))
        #expect(document.state(of: "fr.autre.ressource", licenceRequired: true, at: november2026) == LicenceState.none)
        #expect(document.state(of: "fr.autre.ressource", licenceRequired: false, at: november2026) == .notRequired)
        #expect(document.state(of: "fr.editeur-exemple.lecture-flash", licenceRequired: false, at: november2026) == .notRequired)
    }

    @Test func theBestOfSeveralAbonnementsWins() throws {
        let text = """
            {"uai": "0750654D", "abonnements": [
              \(LicenceFixtures.abonnement(id: "OLD", debut: "2024-09-01", fin: "2025-08-31")),
              \(LicenceFixtures.abonnement(id: "NEXT", debut: "2027-10-01", fin: "2028-08-31")),
              \(LicenceFixtures.abonnement(id: "NOW", debut: "2026-09-01", fin: "2027-08-31")),
              \(LicenceFixtures.abonnement(id: "NOW-SHORT", debut: "2026-09-01", fin: "2026-12-31"))
            ]}
            """
        let document = try LicenceDocument(json: Array(text.utf8))
        let id = "fr.relais.demo.calcul-mental"
        #expect(document.state(of: id, licenceRequired: true, at: november2026) == .active(until: endOf2027, abonnement: "NOW"))
        #expect(document.state(of: id, licenceRequired: true, at: endOf2027 + 10) == .notYetValid(from: UTCTime.parse("2027-10-01T00:00:00Z")!, abonnement: "NEXT"))
        #expect(document.state(of: id, licenceRequired: true, at: UTCTime.parse("2026-01-01T00:00:00Z")!)
            == .notYetValid(from: september2026, abonnement: "NOW"))
        #expect(document.state(of: id, licenceRequired: true, at: UTCTime.parse("2030-01-01T00:00:00Z")!)
            == .expired(since: UTCTime.parse("2028-08-31T23:59:59Z")!, abonnement: "NEXT"))
    }

    @Test func publicCibleLimitsWhoSeesABundle() throws {
        let document = try LicenceDocument(json: try Self.seed())
        #expect(document.isVisible("fr.relais.demo.calcul-mental", licenceRequired: true, to: .eleve))
        #expect(!document.isVisible("fr.relais.demo.prise-en-main", licenceRequired: false, to: .eleve))
        #expect(document.isVisible("fr.relais.demo.prise-en-main", licenceRequired: false, to: .enseignant))
        #expect(!document.isVisible("fr.relais.demo.calcul-mental", licenceRequired: true, to: .documentaliste))
        #expect(!document.isVisible("fr.autre.ressource", licenceRequired: true, to: .enseignant))
        #expect(document.isVisible("fr.autre.ressource", licenceRequired: false, to: .eleve))
    }

    @Test func seatsOverTheLimitOnlyWarn() throws {
        let document = try LicenceDocument(json: try Self.seed())
        let fractions = try #require(document.abonnements(for: "fr.relais.demo.fiche-fractions").first)
        #expect(fractions.seatWarnings(for: SeatUsage(eleve: 30, enseignant: 5)).isEmpty)
        let warnings = fractions.seatWarnings(for: SeatUsage(eleve: 31, enseignant: 7, documentaliste: 3))
        #expect(warnings.map(\.scope) == [.eleve, .enseignant])
        #expect(warnings.first?.users == 31)
        #expect(warnings.first?.seats == 30)
        #expect(warnings.first?.french.contains("n'est pas coupé") == true)
        let calcul = try #require(document.abonnements(for: "fr.relais.demo.calcul-mental").first)
        #expect(calcul.seatWarnings(for: SeatUsage(eleve: 10_000)).isEmpty)
        let global = try LicenceDocument(json: Array(#"{"uai":"0750654D","abonnements":[\#(LicenceFixtures.abonnement(seats: #""nbLicenceGlobale": 3"#))]}"#.utf8))
        #expect(global.abonnements[0].seatWarnings(for: SeatUsage(eleve: 2, enseignant: 1, autrePersonnel: 1)).map(\.scope) == [.global])
    }

    @Test func explanationsSayWhatToDo() {
        let expired = LicenceState.expired(since: endOf2027, abonnement: "A")
        #expect(expired.frenchExplanation(resource: "Calcul mental")
            == "Licence expirée le 31/08/2027 : demandez à l'administrateur de l'établissement de renouveler l'abonnement « Calcul mental ».")
        #expect(expired.englishExplanation(resource: "Calcul mental").contains("expired on 2027-08-31"))
        #expect(expired.refusal(resource: "Calcul mental")?.french.hasPrefix("Impossible d'ouvrir « Calcul mental ».") == true)
        #expect(LicenceState.none.refusal(resource: "X")?.french.contains("souscrire") == true)
        #expect(LicenceState.notYetValid(from: september2026, abonnement: "A").frenchExplanation(resource: "X").contains("01/09/2026"))
        #expect(LicenceState.active(until: endOf2027, abonnement: "A").refusal(resource: "X") == nil)
        #expect(LicenceState.notRequired.allowsLaunch)
    }
}

/// Abonnement JSON for tests, valid unless a field is overridden.
enum LicenceFixtures {
    static func abonnement(
        id: String = "A-1", ressource: String = "fr.relais.demo.calcul-mental", debut: String = "2026-09-01T00:00:00Z",
        fin: String = "2027-08-31T23:59:59Z", type: String = "\"ETABL\"", seats: String = #""nbLicenceGlobale": "ILLIMITE""#,
        cible: String = #"["ELEVE"]"#, extra: String = ""
    ) -> String {
        """
        {"idAbonnement": "\(id)", "idRessource": "\(ressource)", "libelleRessource": "Calcul mental",
         "debutValidite": "\(debut)", "finValidite": "\(fin)", "typeAffectation": \(type), \(seats),
         "publicCible": \(cible)\(extra)}
        """
    }

    static func document(_ abonnements: String..., uai: String = "\"0750654D\"") -> [UInt8] {
        Array(#"{"uai": \#(uai), "abonnements": [\#(abonnements.joined(separator: ","))]}"#.utf8)
    }
}
