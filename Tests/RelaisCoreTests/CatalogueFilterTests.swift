import Testing

@testable import RelaisCore

@Suite struct CatalogueFilterTests {
    static let now: Int64 = 1_780_000_000
    static let day: Int64 = 86_400

    static func candidate(
        _ id: String, title: String, description: String = "", publisher: String = "Éditions Exemple", kind: BundleManifest.Kind = .solution,
        standard: BundleManifest.Standard = .html5, levels: [BundleManifest.Level] = [.cycle3], subjects: [String] = ["mathématiques"],
        licence: LicenceState = .notRequired, audiences: Set<PublicCible> = Set(PublicCible.allCases)
    ) -> CatalogueFilter.Candidate {
        CatalogueFilter.Candidate(
            id: id, titles: [title], descriptions: [description], publisher: publisher, kind: kind, standard: standard, levels: levels,
            subjects: subjects, licence: licence, audiences: audiences)
    }

    static let catalogue = [
        candidate("fractions", title: "Les fractions", description: "Partager une pizza en parts égales", levels: [.cycle3]),
        candidate("calcul", title: "Calcul mental", levels: [.cycle2, .cycle3], licence: .active(until: now + 10 * day, abonnement: "A1"),
                  audiences: [.eleve, .enseignant]),
        candidate("ecrire", title: "Écrire une séance", kind: .training, standard: .cmi5, levels: [.cycle1, .lycee],
                  subjects: ["formation numérique"], audiences: [.enseignant]),
        candidate("coeur", title: "Le cœur humain", publisher: "Canopé", standard: .scorm12, levels: [.cycle4], subjects: ["SVT"],
                  licence: .expired(since: now - day, abonnement: "A2"), audiences: [.eleve]),
        candidate("histoire", title: "Frise", description: "Histoire de France", standard: .scorm2004, levels: [.cycle4, .lycee],
                  subjects: ["Histoire"], licence: .active(until: now + 200 * day, abonnement: "A3")),
    ]

    static func ids(_ query: [String: String]) -> [String] {
        CatalogueFilter(query: query, now: now).apply(to: catalogue).map(\.id)
    }

    @Test func noQueryKeepsEverything() {
        #expect(Self.ids([:]) == ["fractions", "calcul", "ecrire", "coeur", "histoire"])
        #expect(!CatalogueFilter(query: [:]).isActive)
    }

    @Test func filtersByEachCriterion() {
        #expect(Self.ids(["cycle": "cycle3"]) == ["fractions", "calcul"])
        #expect(Self.ids(["cycle": "lycee"]) == ["ecrire", "histoire"])
        #expect(Self.ids(["discipline": "Mathematiques"]) == ["fractions", "calcul"], "case and accents do not matter")
        #expect(Self.ids(["type": "training"]) == ["ecrire"])
        #expect(Self.ids(["type": "solution"]) == ["fractions", "calcul", "coeur", "histoire"])
        #expect(Self.ids(["standard": "scorm12"]) == ["coeur"])
        #expect(Self.ids(["public": "ELEVE"]) == ["fractions", "calcul", "coeur", "histoire"], "a séance for pupils needs ELEVE")
        #expect(Self.ids(["public": "enseignant"]) == ["fractions", "calcul", "ecrire", "histoire"])
    }

    @Test func licenceStatesAtTheTrustedTime() {
        #expect(Self.ids(["licence": "valide"]) == ["fractions", "calcul", "ecrire", "histoire"])
        #expect(Self.ids(["licence": "non-valide"]) == ["coeur"])
        #expect(Self.ids(["licence": "expire-bientot"]) == ["calcul"], "ends in 10 days; the other in 200")
        #expect(CatalogueFilter(query: ["licence": "expire-bientot"]).apply(to: Self.catalogue).isEmpty, "no time, nothing expiring")
    }

    @Test func searchIgnoresCaseAndAccentsAndReadsTitleDescriptionPublisher() {
        #expect(Self.ids(["q": "fraction"]) == ["fractions"])
        #expect(Self.ids(["q": "ECRIRE"]) == ["ecrire"])
        #expect(Self.ids(["q": "coeur"]) == ["coeur"], "œ is oe")
        #expect(Self.ids(["q": "pizza"]) == ["fractions"], "description")
        #expect(Self.ids(["q": "canope"]) == ["coeur"], "publisher")
        #expect(Self.ids(["q": "  histoire   france "]) == ["histoire"], "every word, any order")
        #expect(Self.ids(["q": "fraction histoire"]).isEmpty)
    }

    @Test func criteriaCombine() {
        #expect(Self.ids(["cycle": "cycle3", "q": "calcul", "licence": "valide", "type": "solution"]) == ["calcul"])
        #expect(Self.ids(["cycle": "cycle1", "type": "solution"]).isEmpty)
    }

    @Test func unknownOrEmptyValuesAreIgnored() {
        let filter = CatalogueFilter(query: ["cycle": "cycle9", "type": "roman", "standard": "flash", "licence": "peut-etre", "public": "PARENT", "q": "   "])
        #expect(filter == CatalogueFilter())
        #expect(Self.ids(["cycle": "cycle9", "q": ""]).count == 5)
    }

    @Test func givesBackItsQuery() {
        let query = ["cycle": "cycle3", "discipline": "mathématiques", "type": "solution", "standard": "scorm12", "licence": "valide", "public": "ELEVE", "q": "fraction"]
        let filter = CatalogueFilter(query: query)
        #expect(Dictionary(uniqueKeysWithValues: filter.queryItems.map { ($0.name, $0.value) }) == query)
        #expect(filter.isActive)
        #expect(CatalogueFilter(query: ["q": String(repeating: "a", count: 500)]).search.count == CatalogueFilter.maxSearchLength)
    }

    @Test func optionsListWhatTheCatalogueHolds() {
        let options = CatalogueFilter.Options(Self.catalogue)
        #expect(options.cycles == [.cycle1, .cycle2, .cycle3, .cycle4, .lycee])
        #expect(options.disciplines == ["formation numérique", "Histoire", "mathématiques", "SVT"])
        #expect(options.kinds == [.solution, .training])
        #expect(options.standards == [.html5, .scorm12, .scorm2004, .cmi5])
        let few = CatalogueFilter.options(for: [Self.catalogue[0], Self.candidate("x", title: "x", subjects: ["Mathématiques", " "])])
        #expect(few.cycles == [.cycle3])
        #expect(few.disciplines == ["mathématiques"], "one per spelling, blanks dropped")
    }
}
