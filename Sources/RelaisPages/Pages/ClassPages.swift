import RelaisCore

/// `/admin/classes/{id}`: the class's pupils (remove one), add one, import a CSV of pupils,
/// delete the class.
public struct AdminClassPage: PageModel {
    public static let templateName = "adminClass"
    public var layout: Layout
    public var schoolClass: ClassSummary
    public var pupils: [ClassPupil]
    public var notice: AdminNotice?
    /// What the add-pupil form had, shown again with its problems.
    public var draftFirstName: String
    public var draftInitial: String
    public var pupilProblems: [FieldProblem]
    public var importProblems: [FieldProblem]

    public init(
        layout: Layout, schoolClass: ClassSummary, pupils: [ClassPupil], notice: AdminNotice? = nil, draftFirstName: String = "",
        draftInitial: String = "", pupilProblems: [FieldProblem] = [], importProblems: [FieldProblem] = []
    ) {
        self.layout = layout
        self.schoolClass = schoolClass
        self.pupils = pupils
        self.notice = notice
        self.draftFirstName = draftFirstName
        self.draftInitial = draftInitial
        self.pupilProblems = pupilProblems
        self.importProblems = importProblems
    }

    struct PupilRow {
        let firstName: String
        let initial: String
        let removeAction: String
    }

    struct View {
        let heading: String
        let details: String
        let notice: String?
        let pupils: [PupilRow]
        let hasPupils: Bool
        let addAction: String
        let importAction: String
        let deleteAction: String
        let backURL: String
        let firstName: String
        let initial: String
        let pupilProblems: AdminHomePage.Problems
        let importProblems: AdminHomePage.Problems
    }

    public func view(in language: Language) -> PageView {
        let l = language
        let t = ClassTexts.pick(l)
        let c = schoolClass
        let heading = t.heading(c.name)
        var details = [c.level]
        if let cycle = c.cycle { details.append(CardTexts.levelName(cycle, l)) }
        if !c.teachers.isEmpty { details.append(c.teachers.joined(separator: ", ")) }
        let rows = pupils.map {
            PupilRow(firstName: $0.firstName, initial: $0.initial, removeAction: URLs.localized(PortalPaths.classPupilRemove(c.id, $0.id), l))
        }
        let view = View(
            heading: heading, details: details.joined(separator: " · "), notice: notice?.text(l), pupils: rows, hasPupils: !rows.isEmpty,
            addAction: URLs.localized(PortalPaths.classPupils(c.id), l), importAction: URLs.localized(PortalPaths.classPupilsImport(c.id), l),
            deleteAction: URLs.localized(PortalPaths.classDelete(c.id), l), backURL: URLs.localized(PortalPaths.admin, l),
            firstName: draftFirstName, initial: draftInitial, pupilProblems: .init(pupilProblems, l), importProblems: .init(importProblems, l))
        return PageView(title: heading, texts: t, data: view)
    }
}

struct ClassTexts: Sendable {
    let heading: @Sendable (String) -> String
    let back: String
    let pupilsTitle: String
    let firstName: String
    let initial: String
    let initialHelp: String
    let actions: String
    let remove: String
    let noPupils: String
    let addTitle: String
    let add: String
    let problemsTitle: String
    let importTitle: String
    let csvFile: String
    let csvHelp: String
    let csvFormatHelp: String
    let preview: String
    let deleteTitle: String
    let deleteWarning: String
    let delete: String

    static let fr = ClassTexts(
        heading: { "Classe \($0)" }, back: "Retour à l'administration", pupilsTitle: "Élèves", firstName: "Prénom",
        initial: "Initiale du nom", initialHelp: "Une seule lettre : le nom complet d'un élève n'est jamais demandé.",
        actions: "Actions", remove: "Retirer", noPupils: "Aucun élève dans cette classe pour l'instant.",
        addTitle: "Ajouter un élève", add: "Ajouter", problemsTitle: "Rien n'a été enregistré :",
        importTitle: "Importer des élèves (CSV)", csvFile: "Fichier CSV",
        csvHelp: "Colonnes, dans cet ordre : prénom;initiale;classe (l'initiale du nom, une lettre ; la classe telle qu'elle s'appelle ici).",
        csvFormatHelp: "Séparateur « ; » ou « , », UTF-8 ou Windows-1252, comme l'exporte un tableur. Un aperçu s'affiche avant tout import.",
        preview: "Voir l'aperçu", deleteTitle: "Supprimer la classe",
        deleteWarning: "Attention : supprimer la classe supprime aussi ses élèves et toutes leurs données sur la box (activités, résultats). C'est définitif.",
        delete: "Supprimer la classe et les données de ses élèves")
    static let en = ClassTexts(
        heading: { "Class \($0)" }, back: "Back to administration", pupilsTitle: "Pupils", firstName: "First name",
        initial: "Initial of the last name", initialHelp: "One letter: a pupil's full name is never asked for.",
        actions: "Actions", remove: "Remove", noPupils: "No pupil in this class yet.",
        addTitle: "Add a pupil", add: "Add", problemsTitle: "Nothing was saved:",
        importTitle: "Import pupils (CSV)", csvFile: "CSV file",
        csvHelp: "Columns, in this order: prénom;initiale;classe (first name, initial of the last name, the class as it is named here).",
        csvFormatHelp: "“;” or “,” separated, UTF-8 or Windows-1252, as a spreadsheet exports it. A preview comes before any import.",
        preview: "Preview", deleteTitle: "Delete the class",
        deleteWarning: "Warning: deleting the class also deletes its pupils and all their data on the box (activities, results). It cannot be undone.",
        delete: "Delete the class and its pupils' data")
    static func pick(_ l: Language) -> ClassTexts { l == .fr ? fr : en }
}

/// The one-time password reset code, shown once right after the admin issued it.
public struct ResetCodePage: PageModel {
    public static let templateName = "resetCode"
    public var layout: Layout
    public var personName: String
    public var login: String
    public var code: String
    /// How long the code stays valid, in hours.
    public var validHours: Int

    public init(layout: Layout, personName: String, login: String, code: String, validHours: Int) {
        self.layout = layout
        self.personName = personName
        self.login = login
        self.code = code
        self.validHours = validHours
    }

    struct View {
        let intro: String
        let login: String
        let code: String
        let validity: String
        let steps: [String]
        let backURL: String
    }

    public func view(in language: Language) -> PageView {
        let t = ResetCodeTexts.pick(language)
        let view = View(
            intro: t.intro(personName), login: login, code: code, validity: t.validity(validHours),
            steps: [t.step1, t.step2(login), t.step3], backURL: URLs.localized(PortalPaths.admin, language))
        return PageView(title: t.title, texts: t, data: view)
    }
}

struct ResetCodeTexts: Sendable {
    let title: String
    let intro: @Sendable (String) -> String
    let loginLabel: String
    let codeLabel: String
    let validity: @Sendable (Int) -> String
    let onceOnly: String
    let stepsTitle: String
    let step1: String
    let step2: @Sendable (String) -> String
    let step3: String
    let back: String

    static let fr = ResetCodeTexts(
        title: "Code de réinitialisation", intro: { "Code pour que \($0) choisisse un nouveau mot de passe :" },
        loginLabel: "Identifiant :", codeLabel: "Code :",
        validity: { "Valable \($0 <= 1 ? "1 heure" : "\($0) heures"), une seule fois." },
        onceOnly: "Ce code n'est affiché qu'une fois : notez-le ou donnez-le maintenant. L'ancien mot de passe ne fonctionne plus.",
        stepsTitle: "À faire par la personne", step1: "Ouvrir la page Connexion de la box.",
        step2: { "Dans « Nouveau mot de passe », saisir l'identifiant \($0) et ce code." },
        step3: "Choisir un nouveau mot de passe, l'écrire deux fois, puis se connecter avec.", back: "Retour à l'administration")
    static let en = ResetCodeTexts(
        title: "Reset code", intro: { "Code for \($0) to choose a new password:" },
        loginLabel: "Login:", codeLabel: "Code:",
        validity: { "Valid for \($0 <= 1 ? "1 hour" : "\($0) hours"), once." },
        onceOnly: "This code is shown only once: write it down or hand it over now. The old password no longer works.",
        stepsTitle: "What the person does", step1: "Open the box's Sign in page.",
        step2: { "Under “New password”, type the login \($0) and this code." },
        step3: "Choose a new password, type it twice, then sign in with it.", back: "Back to administration")
    static func pick(_ l: Language) -> ResetCodeTexts { l == .fr ? fr : en }
}

/// `/enseignant`: my classes (pupils folded in `<details>`) and the catalogue.
public struct TeacherHomePage: PageModel {
    public struct TeacherClass: Sendable {
        public var name: String
        public var level: String
        public var pupils: [ClassPupil]

        public init(name: String, level: String, pupils: [ClassPupil]) {
            self.name = name
            self.level = level
            self.pupils = pupils
        }
    }

    /// A training module and how far the teacher went in it (« Mes modules de formation »).
    public struct TrainingModule: Sendable {
        public enum State: Sendable, Equatable {
            case notStarted
            case started
            /// Completed (or passed) at this time, Unix seconds.
            case completed(at: Int64)
        }

        public var id: String
        public var title: Bilingual
        public var state: State
        /// Its launch address (`/lancer/{id}`).
        public var openURL: String

        public init(id: String, title: Bilingual, state: State, openURL: String) {
            self.id = id
            self.title = title
            self.state = state
            self.openURL = openURL
        }
    }

    public static let templateName = "teacherHome"
    public var layout: Layout
    public var classes: [TeacherClass]
    public var catalogue: [CatalogueItem]
    /// The training modules of the catalogue with the teacher's progress.
    public var trainings: [TrainingModule]

    /// The séances the person prepared (an admin: every séance of the box), newest first.
    public var seances: [SeanceListItem]
    /// What the « accès libre » form offers: the person's classes and the bundles open to pupils.
    public var openAccess: OpenAccessChoices

    /// The choices of the « accès libre » form.
    public struct OpenAccessChoices: Sendable {
        public var classes: [SeanceFormFields.ClassChoice]
        public var bundles: [SeanceFormFields.ClassChoice]
        public init(classes: [SeanceFormFields.ClassChoice] = [], bundles: [SeanceFormFields.ClassChoice] = []) {
            self.classes = classes
            self.bundles = bundles
        }
    }

    public init(
        layout: Layout, classes: [TeacherClass], catalogue: [CatalogueItem], trainings: [TrainingModule] = [], seances: [SeanceListItem] = [],
        openAccess: OpenAccessChoices = .init()
    ) {
        self.layout = layout
        self.classes = classes
        self.catalogue = catalogue
        self.trainings = trainings
        self.seances = seances
        self.openAccess = openAccess
    }

    struct ClassView {
        let name: String
        let level: String
        let count: String
        let pupils: [String]
    }

    struct TrainingView {
        let id: String
        let title: String
        let state: String
        let done: Bool
        let openURL: String
        let openLabel: String
    }

    struct View {
        let classes: [ClassView]
        let hasClasses: Bool
        let trainings: [TrainingView]
        let hasTrainings: Bool
        let cards: [CardView]
        let hasCards: Bool
        let seances: [SeanceListItem.View]
        let hasSeances: Bool
        let newSeanceURL: String
        let openAccessAction: String
        let openAccessClasses: [SeanceFormFields.ClassChoice]
        let openAccessBundles: [SeanceFormFields.ClassChoice]
        let canOpenAccess: Bool
    }

    public func view(in language: Language) -> PageView {
        let t = TeacherTexts.pick(language)
        let classViews = classes.map { c in
            ClassView(name: c.name, level: c.level, count: t.pupilCount(c.pupils.count), pupils: c.pupils.map { "\($0.firstName) \($0.initial)." })
        }
        let trainingViews = trainings.map { module in
            let state: String
            let done: Bool
            let open: String
            switch module.state {
            case .notStarted: (state, done, open) = (t.notStarted, false, t.start)
            case .started: (state, done, open) = (t.started, false, t.resume)
            case .completed(let at): (state, done, open) = (t.completed(language == .fr ? UTCTime.frenchDay(at) : UTCTime.isoDay(at)), true, t.review)
            }
            return TrainingView(
                id: module.id, title: module.title.pick(language), state: state, done: done, openURL: URLs.localized(module.openURL, language),
                openLabel: open)
        }
        let cards = CardView.cards(catalogue, language)
        return PageView(
            title: t.title, texts: t,
            data: View(
                classes: classViews, hasClasses: !classViews.isEmpty, trainings: trainingViews, hasTrainings: !trainingViews.isEmpty,
                cards: cards, hasCards: !cards.isEmpty, seances: seances.map { $0.view(language) },
                hasSeances: !seances.isEmpty, newSeanceURL: URLs.localized(PortalPaths.newSeance, language),
                openAccessAction: URLs.localized(PortalPaths.openAccess, language), openAccessClasses: openAccess.classes, openAccessBundles: openAccess.bundles,
                canOpenAccess: !openAccess.classes.isEmpty && !openAccess.bundles.isEmpty))
    }
}

struct TeacherTexts: Sendable {
    let title: String
    let classesTitle: String
    let pupilCount: @Sendable (Int) -> String
    let showPupils: String
    let noClasses: String
    let noPupils: String
    let catalogueTitle: String
    let emptyCatalogue: String
    let seancesTitle: String
    let newSeance: String
    let noSeances: String
    let seanceColumns: [String]
    let openAccessTitle: String
    let openAccessHelp: String
    let openAccessClass: String
    let openAccessBundles: String
    let openAccessButton: String
    let trainingsTitle: String
    let trainingsIntro: String
    let noTrainings: String
    let moduleHeader: String
    let stateHeader: String
    let actionHeader: String
    let notStarted: String
    let started: String
    let completed: @Sendable (String) -> String
    let start: String
    let resume: String
    let review: String

    static let fr = TeacherTexts(
        title: "Mon espace enseignant", classesTitle: "Mes classes", pupilCount: { $0 <= 1 ? "\($0) élève" : "\($0) élèves" },
        showPupils: "Voir les élèves", noClasses: "Aucune classe ne vous est encore attribuée. L'administrateur de l'établissement peut vous en attribuer.",
        noPupils: "Aucun élève pour l'instant.", catalogueTitle: "Catalogue", emptyCatalogue: "Aucune ressource n'est encore installée.",
        seancesTitle: "Mes séances", newSeance: "Préparer une séance", noSeances: "Aucune séance pour l'instant.",
        seanceColumns: ["Séance", "Classe", "Créneau", "Activités", "État"], openAccessTitle: "Accès libre",
        openAccessHelp: "Pour une classe déplacée au CDI ou dans une autre salle : une séance sans enseignant, démarrée tout de suite, avec les ressources cochées. Les élèves la rejoignent par code comme une séance prête.",
        openAccessClass: "Classe", openAccessBundles: "Ressources", openAccessButton: "Ouvrir l'accès libre",
        trainingsTitle: "Mes modules de formation",
        trainingsIntro: "Se former à une ressource avant de l'utiliser en classe : votre progression est enregistrée sur la box, sous un pseudonyme.",
        noTrainings: "Aucun module de formation n'est installé.", moduleHeader: "Module", stateHeader: "État", actionHeader: "Action",
        notStarted: "Non commencé", started: "Commencé", completed: { "Terminé le \($0)" }, start: "Commencer", resume: "Reprendre",
        review: "Revoir")
    static let en = TeacherTexts(
        title: "My teacher's page", classesTitle: "My classes", pupilCount: { $0 == 1 ? "1 pupil" : "\($0) pupils" },
        showPupils: "Show the pupils", noClasses: "No class is assigned to you yet. The school's administrator can assign some.",
        noPupils: "No pupil yet.", catalogueTitle: "Catalogue", emptyCatalogue: "No resource is installed yet.",
        seancesTitle: "My sessions", newSeance: "Prepare a session", noSeances: "No session yet.",
        seanceColumns: ["Session", "Class", "Time slot", "Activities", "State"], openAccessTitle: "Open access",
        openAccessHelp: "For a class moved to the library or another room: a session with no teacher, started at once, with the ticked resources. Pupils join it by code like a prepared session.",
        openAccessClass: "Class", openAccessBundles: "Resources", openAccessButton: "Open access now",
        trainingsTitle: "My training modules",
        trainingsIntro: "Train on a resource before using it in class: your progress is recorded on the box, under a pseudonym.",
        noTrainings: "No training module is installed.", moduleHeader: "Module", stateHeader: "State", actionHeader: "Action",
        notStarted: "Not started", started: "Started", completed: { "Completed on \($0)" }, start: "Start", resume: "Resume",
        review: "Review")
    static func pick(_ l: Language) -> TeacherTexts { l == .fr ? fr : en }
}
