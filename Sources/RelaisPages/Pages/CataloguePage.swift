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

    public init(
        id: String, title: Bilingual, description: Bilingual, kind: BundleManifest.Kind, standard: BundleManifest.Standard,
        publisher: String, levels: [BundleManifest.Level], version: String, contentBytes: Int64, durationMinutes: Int? = nil,
        licensed: Bool, licenceNote: Bilingual? = nil, openURL: String
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
    }
}

/// `/` and `/catalogue`: every bundle the public may see, solutions then training modules, with a
/// filter by public (GAR `publicCible`, a GET form).
public struct CataloguePage: PageModel {
    public static let templateName = "catalogue"
    public var layout: Layout
    public var items: [CatalogueItem]
    /// The public the list is limited to (`?public=`), nil for everyone.
    public var publicFilter: PublicCible?

    public init(layout: Layout, items: [CatalogueItem], publicFilter: PublicCible? = nil) {
        self.layout = layout
        self.items = items
        self.publicFilter = publicFilter
    }

    struct Section {
        let id: String
        let heading: String
        let count: Int
        let cards: [CardView]
    }

    struct Option {
        let value: String
        let name: String
        let selected: Bool
    }

    struct View {
        let empty: Bool
        let sections: [Section]
        let options: [Option]
        let allSelected: Bool
        let english: Bool
        let action: String
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
        let options = PublicCible.allCases.map {
            Option(value: $0.rawValue, name: CardTexts.publicName($0, language), selected: $0 == publicFilter)
        }
        let view = View(
            empty: items.isEmpty, sections: sections, options: options, allSelected: publicFilter == nil,
            english: language == .en, action: PortalPaths.catalogue)
        return PageView(title: t.title, texts: t, data: view)
    }
}

struct CatalogueTexts: Sendable {
    let title: String
    let solutions: String
    let trainings: String
    let empty: String
    let filterLegend: String
    let publicLabel: String
    let allPublics: String
    let filter: String

    static let fr = CatalogueTexts(
        title: "Catalogue", solutions: "Solutions pédagogiques", trainings: "Modules de formation",
        empty: "Aucune ressource n'est encore installée. L'administrateur peut en importer avec « relais import ».",
        filterLegend: "Filtrer le catalogue", publicLabel: "Public", allPublics: "Tous les publics", filter: "Filtrer")
    static let en = CatalogueTexts(
        title: "Catalogue", solutions: "Teaching solutions", trainings: "Training modules",
        empty: "No resource is installed yet. The admin can import some with “relais import”.",
        filterLegend: "Filter the catalogue", publicLabel: "Audience", allPublics: "Every audience", filter: "Filter")

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
                note: item.licenceNote?.pick(l), openURL: URLs.localized(item.openURL, l), openLabel: t.open)
        }
    }
}

struct CardTexts: Sendable {
    let solution: String
    let training: String
    let available: String
    let unavailable: String
    let open: String

    static let fr = CardTexts(
        solution: "Solution pédagogique", training: "Module de formation", available: "Disponible", unavailable: "Indisponible",
        open: "Ouvrir")
    static let en = CardTexts(
        solution: "Teaching solution", training: "Training module", available: "Available", unavailable: "Unavailable", open: "Open")

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
