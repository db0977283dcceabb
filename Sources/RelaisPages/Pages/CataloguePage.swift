import RelaisCore

/// One bundle of the catalogue, as the catalogue and the teacher's home show it.
public struct CatalogueItem: Sendable {
    public var id: String
    public var title: Bilingual
    public var description: Bilingual
    public var kind: BundleManifest.Kind
    public var standard: BundleManifest.Standard
    public var publisher: String
    public var levels: [BundleManifest.Level]
    public var version: String
    public var contentBytes: Int64
    public var durationMinutes: Int?
    /// Whether the school may open it now.
    public var licensed: Bool
    /// Why it may or may not be opened (the licence's explanation), for bundles from the repository.
    public var licenceNote: Bilingual?
    /// The launch address (`/lancer/{id}`).
    public var openURL: String
    /// The training modules advised before using this solution (`requiresTraining`) that the
    /// signed-in teacher has not completed; empty for everyone else.
    public var trainingAdvice: [TrainingAdvice]

    /// « Formation conseillée avant usage : {titre} », with the module's launch link.
    public struct TrainingAdvice: Sendable, Equatable {
        public var title: Bilingual
        /// The training module's launch address (`/lancer/{id}`).
        public var openURL: String

        public init(title: Bilingual, openURL: String) {
            self.title = title
            self.openURL = openURL
        }
    }

    public init(
        id: String, title: Bilingual, description: Bilingual, kind: BundleManifest.Kind, standard: BundleManifest.Standard,
        publisher: String, levels: [BundleManifest.Level], version: String, contentBytes: Int64, durationMinutes: Int? = nil,
        licensed: Bool, licenceNote: Bilingual? = nil, openURL: String, trainingAdvice: [TrainingAdvice] = []
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.kind = kind
        self.standard = standard
        self.publisher = publisher
        self.levels = levels
        self.version = version
        self.contentBytes = contentBytes
        self.durationMinutes = durationMinutes
        self.licensed = licensed
        self.licenceNote = licenceNote
        self.openURL = openURL
        self.trainingAdvice = trainingAdvice
    }
}

/// `/` and `/catalogue`: the bundles that meet the filters (niveau, discipline, type, standard,
/// licence, public, search: a GET form, `CatalogueFilterForm`), solutions then training modules,
/// with the count « 3 ressources sur 7 ».
public struct CataloguePage: PageModel {
    public static let templateName = "catalogue"
    public var layout: Layout
    /// The bundles that meet the filter, in the catalogue's order.
    public var items: [CatalogueItem]
    /// How many bundles the catalogue holds before filtering (nil: `items.count`).
    public var total: Int?
    /// The filter form (nil: no form).
    public var filterForm: CatalogueFilterForm?

    public init(layout: Layout, items: [CatalogueItem], total: Int? = nil, filterForm: CatalogueFilterForm? = nil) {
        self.layout = layout
        self.items = items
        self.total = total
        self.filterForm = filterForm
    }

    struct Section {
        let id: String
        let heading: String
        let count: Int
        let cards: [CardView]
    }

    struct View {
        /// The box holds no bundle at all.
        let nothingInstalled: Bool
        /// Bundles exist but none meets the filters.
        let noMatch: Bool
        let clearURL: String
        let count: String
        let sections: [Section]
        let filterForm: CatalogueFilterForm.View?
    }

    public func view(in language: Language) -> PageView {
        let t = CatalogueTexts.pick(language)
        let solutions = items.filter { $0.kind == .solution }
        let trainings = items.filter { $0.kind == .training }
        var sections: [Section] = []
        if !solutions.isEmpty {
            sections.append(Section(id: "solutions", heading: t.solutions, count: solutions.count, cards: CardView.cards(solutions, language)))
        }
        if !trainings.isEmpty {
            sections.append(Section(id: "formations", heading: t.trainings, count: trainings.count, cards: CardView.cards(trainings, language)))
        }
        let total = max(total ?? items.count, items.count)
        let view = View(
            nothingInstalled: total == 0, noMatch: total > 0 && items.isEmpty,
            clearURL: URLs.localized(filterForm.map { $0.action.split(separator: "?").first.map(String.init) ?? $0.action } ?? PortalPaths.catalogue, language),
            count: t.count(items.count, total), sections: sections, filterForm: filterForm?.makeView(language))
        return PageView(title: t.title, texts: t, data: view)
    }
}

struct CatalogueTexts: Sendable {
    let title: String
    let solutions: String
    let trainings: String
    let empty: String
    let noMatch: String
    let clear: String
    let count: @Sendable (Int, Int) -> String

    static let fr = CatalogueTexts(
        title: "Catalogue", solutions: "Solutions pédagogiques", trainings: "Modules de formation",
        empty: "Aucune ressource n'est encore installée. L'administrateur peut en importer avec « relais import ».",
        noMatch: "Aucune ressource ne correspond à ces filtres.", clear: "Effacer les filtres",
        count: { shown, total in "\(shown) \(shown <= 1 ? "ressource" : "ressources") sur \(total)" })
    static let en = CatalogueTexts(
        title: "Catalogue", solutions: "Teaching solutions", trainings: "Training modules",
        empty: "No resource is installed yet. The admin can import some with “relais import”.",
        noMatch: "No resource matches these filters.", clear: "Clear the filters",
        count: { shown, total in "\(shown) of \(total) \(total == 1 ? "resource" : "resources")" })

    static func pick(_ l: Language) -> CatalogueTexts { l == .fr ? fr : en }
}

/// A catalogue card, in one language (the `catalogueCard` partial).
struct CardView {
    let id: String
    let title: String
    let description: String
    let kindName: String
    let standardName: String
    let publisher: String
    let levels: String
    let version: String
    let size: String
    let duration: String?
    let licensed: Bool
    let badge: String
    let note: String?
    let openURL: String
    let openLabel: String
    let advice: [Advice]
    let adviceLabel: String

    struct Advice {
        let title: String
        let openURL: String
    }

    static func cards(_ items: [CatalogueItem], _ l: Language) -> [CardView] {
        let t = CardTexts.pick(l)
        return items.map { item in
            CardView(
                id: item.id, title: item.title.pick(l), description: item.description.pick(l),
                kindName: item.kind == .solution ? t.solution : t.training,
                standardName: CardTexts.standardName(item.standard, l), publisher: item.publisher,
                levels: item.levels.map { CardTexts.levelName($0, l) }.joined(separator: ", "), version: item.version,
                size: ByteCount.format(item.contentBytes), duration: item.durationMinutes.map { "\($0) min" },
                licensed: item.licensed, badge: item.licensed ? t.available : t.unavailable,
                note: item.licenceNote?.pick(l), openURL: URLs.localized(item.openURL, l), openLabel: t.open,
                advice: item.trainingAdvice.map { Advice(title: $0.title.pick(l), openURL: URLs.localized($0.openURL, l)) },
                adviceLabel: t.advice)
        }
    }
}

struct CardTexts: Sendable {
    let solution: String
    let training: String
    let available: String
    let unavailable: String
    let open: String
    let advice: String

    static let fr = CardTexts(
        solution: "Solution pédagogique", training: "Module de formation", available: "Disponible", unavailable: "Indisponible",
        open: "Ouvrir", advice: "Formation conseillée avant usage :")
    static let en = CardTexts(
        solution: "Teaching solution", training: "Training module", available: "Available", unavailable: "Unavailable", open: "Open",
        advice: "Training advised before use:")

    static func pick(_ l: Language) -> CardTexts { l == .fr ? fr : en }

    static func levelName(_ level: BundleManifest.Level, _ l: Language) -> String {
        switch level {
        case .cycle1: return l.pick("Cycle 1", "Cycle 1 (ages 3–6)")
        case .cycle2: return l.pick("Cycle 2", "Cycle 2 (ages 6–9)")
        case .cycle3: return l.pick("Cycle 3", "Cycle 3 (ages 9–12)")
        case .cycle4: return l.pick("Cycle 4", "Cycle 4 (ages 12–15)")
        case .lycee: return l.pick("Lycée", "Upper secondary")
        }
    }

    static func standardName(_ standard: BundleManifest.Standard, _ l: Language) -> String {
        switch standard {
        case .html5: return l.pick("Application HTML5", "HTML5 app")
        case .scorm12: return "SCORM 1.2"
        case .scorm2004: return "SCORM 2004"
        case .cmi5: return "cmi5"
        case .video: return l.pick("Vidéo", "Video")
        case .pdf: return l.pick("Document PDF", "PDF document")
        }
    }

    static func publicName(_ p: PublicCible, _ l: Language) -> String {
        switch p {
        case .eleve: return l.pick("Élèves", "Pupils")
        case .enseignant: return l.pick("Enseignants", "Teachers")
        case .documentaliste: return l.pick("Documentalistes", "Librarians")
        case .autrePersonnel: return l.pick("Autres personnels", "Other staff")
        }
    }
}
