import RelaisCore
import Testing

/// Bad licence documents are refused with a message naming the abonnement and the field.
struct LicenceValidationTests {
    typealias F = LicenceFixtures

    func refusal(_ bytes: [UInt8], expected: UAI? = nil) -> String? {
        do {
            _ = try LicenceDocument(json: bytes, expectedUAI: expected)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func acceptsTheFixtureAndBareDays() throws {
        let document = try LicenceDocument(json: F.document(F.abonnement(debut: "2026-09-01", fin: "2027-08-31")))
        #expect(document.abonnements[0].debutValidite == UTCTime.parse("2026-09-01T00:00:00Z"))
        #expect(document.abonnements[0].finValidite == UTCTime.parse("2027-08-31T23:59:59Z"))
    }

    @Test func ignoresUnknownFieldsButNotTheTypesOfKnownOnes() throws {
        let document = try LicenceDocument(json: F.document(F.abonnement(extra: #", "codeProjetRessource": "P1", "x": {"y": [1]}"#)))
        #expect(document.abonnements.count == 1)
        #expect(refusal(F.document(F.abonnement(cible: "\"ELEVE\"", extra: #", "extra": 1"#))) == "licence document: abonnement A-1: publicCible is not a non-empty list")
    }

    @Test(arguments: [
        (F.abonnement(fin: "2026-13-01"), "abonnement A-1: finValidite 2026-13-01 is not a date like 2027-08-31T23:59:59Z"),
        (F.abonnement(fin: "2027-02-29T00:00:00Z"), "finValidite 2027-02-29T00:00:00Z is not a date"),
        (F.abonnement(debut: "2026-09-01T00:00:00+02:00"), "debutValidite 2026-09-01T00:00:00+02:00 is not a date"),
        (F.abonnement(debut: "2026-09-01T00:00:00.5Z"), "debutValidite"),
        (F.abonnement(debut: "2027-09-01", fin: "2027-08-31"), "abonnement A-1: debutValidite 2027-09-01T00:00:00Z is not before finValidite 2027-08-31T23:59:59Z"),
        (F.abonnement(type: "\"CLASSE\""), "abonnement A-1: typeAffectation « CLASSE » is neither ETABL nor INDIV"),
        (F.abonnement(type: "1"), "abonnement A-1: typeAffectation is not a non-empty string"),
        (F.abonnement(seats: #""nbLicenceGlobale": -1"#), "abonnement A-1: nbLicenceGlobale is -1; it must be a whole number ≥ 0 or \"ILLIMITE\""),
        (F.abonnement(seats: #""nbLicenceGlobale": "30""#), "nbLicenceGlobale is \"30\""),
        (F.abonnement(seats: #""nbLicenceGlobale": "illimité""#), "nbLicenceGlobale is \"illimité\""),
        (F.abonnement(seats: #""nbLicenceEleve": 30.5"#), "abonnement A-1: nbLicenceEleve is 30.5: numbers must be whole (a seat count is an integer or \"ILLIMITE\")"),
        (F.abonnement(seats: #""nbLicenceEleve": 3e1"#), "abonnement A-1: nbLicenceEleve is 3e1: numbers must be whole (a seat count is an integer or \"ILLIMITE\")"),
        (F.abonnement(seats: #""nbLicenceGlobale": 3, "nbLicenceEleve": 2"#), "abonnement A-1: has nbLicenceGlobale and nbLicenceEleve/nbLicenceEnseignant"),
        (F.abonnement(seats: #""autre": 2"#), "abonnement A-1: has no seat count"),
        (F.abonnement(cible: "[]"), "abonnement A-1: publicCible is not a non-empty list"),
        (F.abonnement(cible: #"["ELEVE", "PARENT"]"#), "abonnement A-1: publicCible holds \"PARENT\", not one of ELEVE, ENSEIGNANT, DOCUMENTALISTE, AUTRE PERSONNEL"),
        (F.abonnement(ressource: "calcul mental"), "abonnement A-1: idRessource « calcul mental » is not a bundle id"),
        (F.abonnement(id: ""), "abonnement #1: idAbonnement is missing"),
        (#"{"idAbonnement": "B", "idRessource": "fr.a.b"}"#, "abonnement B: libelleRessource is missing"),
        ("[]", "abonnement #1: is not a JSON object"),
    ])
    func refusesABadAbonnementNamingIt(abonnement: String, message: String) throws {
        let text = try #require(refusal(F.document(abonnement)))
        #expect(text.contains(message), "\(text)")
    }

    @Test func refusesADuplicateIdAbonnement() {
        #expect(refusal(F.document(F.abonnement(id: "X"), F.abonnement(id: "X")))?.contains("abonnement X: idAbonnement appears twice") == true)
    }

    @Test func refusesADocumentLevelProblem() throws {
        #expect(refusal(F.document(uai: "\"0750654A\""))?.contains("uai 0750654A is not valid") == true)
        #expect(refusal(F.document(uai: "750654"))?.contains("uai is missing or not a string") == true)
        #expect(refusal(Array(#"{"uai": "0750654D"}"#.utf8))?.contains("abonnements is missing") == true)
        #expect(refusal(Array(#"{"uai": "0750654D", "uai": "0750654D", "abonnements": []}"#.utf8))?.contains("appears twice") == true)
        #expect(refusal(Array("[1]".utf8))?.contains("one JSON object") == true)
        #expect(refusal(Array("{".utf8))?.contains("not valid JSON") == true)
        #expect(refusal(F.document(), expected: try UAI("0189990L"))?.contains("does not match 0189990L") == true)
        #expect(refusal(Array(#"{"uai": "0750654D", "abonnements": [], "version": 1.5}"#.utf8)) == "licence document: version is 1.5: numbers must be whole (a seat count is an integer or \"ILLIMITE\")")
    }

    @Test func anEmptyListRevokesEverything() throws {
        let document = try LicenceDocument(json: F.document())
        #expect(document.state(of: "fr.relais.demo.calcul-mental", licenceRequired: true, at: 0) == LicenceState.none)
    }

    @Test func utcTimesRoundTrip() {
        for text in ["1970-01-01T00:00:00Z", "2000-02-29T12:34:56Z", "2027-08-31T23:59:59Z", "2100-03-01T00:00:00Z"] {
            #expect(UTCTime.parse(text).map(UTCTime.format) == text)
        }
        #expect(UTCTime.parse("2027-08-31T24:00:00Z") == nil)
        #expect(UTCTime.parse("1900-02-29T00:00:00Z") == nil)
        #expect(UTCTime.frenchDay(UTCTime.parse("2027-08-31T23:59:59Z")!) == "31/08/2027")
        #expect(UTCTime.parseDate("2026-09-01") == 1_788_220_800)
    }
}
