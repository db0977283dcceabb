import RelaisCore

/// The fields of the séance form (new or edit), as typed.
public struct SeanceFormFields: Sendable {
    public struct ClassChoice: Sendable {
        public var id: String
        public var name: String
        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var title: String
    public var classId: String
    public var date: String
    public var start: String
    public var end: String
    public var instructions: String
    public var planB: String
    public var classes: [ClassChoice]

    public init(title: String = "", classId: String = "", date: String = "", start: String = "", end: String = "", instructions: String = "", planB: String = "", classes: [ClassChoice]) {
        self.title = title
        self.classId = classId
        self.date = date
        self.start = start
        self.end = end
        self.instructions = instructions
        self.planB = planB
        self.classes = classes
    }

    struct ClassOption {
        let id: String
        let name: String
        let selected: Bool
    }

    struct View {
        let title: String
        let date: String
        let start: String
        let end: String
        let instructions: String
        let planB: String
        let classes: [ClassOption]
        let hasClasses: Bool
    }

    var view: View {
        View(
            title: title, date: date, start: start, end: end, instructions: instructions, planB: planB,
            classes: classes.map { ClassOption(id: $0.id, name: $0.name, selected: $0.id == classId) }, hasClasses: !classes.isEmpty)
    }
}

/// `/enseignant/seances/nouvelle`: class, title, optional slot, instructions, plan B. Activities
/// are added on the séance's page once it exists.
public struct SeanceNewPage: PageModel {
    public static let templateName = "seanceNew"
    public var layout: Layout
    public var fields: SeanceFormFields
    public var problems: [String]

    public init(layout: Layout, fields: SeanceFormFields, problems: [String] = []) {
        self.layout = layout
        self.fields = fields
        self.problems = problems
    }

    struct View {
        let action: String
        let backURL: String
        let fields: SeanceFormFields.View
        let problems: [String]
        let hasProblems: Bool
    }

    public func view(in language: Language) -> PageView {
        let t = SeanceTexts.pick(language)
        return PageView(
            title: t.newTitle, texts: t,
            data: View(
                action: URLs.localized(PortalPaths.seances, language), backURL: URLs.localized(PortalPaths.teacher, language), fields: fields.view,
                problems: problems, hasProblems: !problems.isEmpty))
    }
}

/// `/enseignant/seances/{id}`: the séance as its teacher (or the admin) sees it: details (editable
/// while not started), activities (order, add from the catalogue, remove), the hand-over, and,
/// once started, the report (table, charts, CSV).
public struct SeancePage: PageModel {
    /// A bundle (or one SCO/AU of it) the teacher may add.
    public struct Candidate: Sendable {
        public var bundleId: String
        public var itemId: String?
        public var title: String
        public var detail: String
        /// e.g. « Formation conseillée avant usage : … »
        public var advice: String?
        public var adviceURL: String?
        /// One SCO/AU of the course listed just before it (shown indented).
        public var isPart: Bool

        public init(bundleId: String, itemId: String?, title: String, detail: String, advice: String? = nil, adviceURL: String? = nil, isPart: Bool = false) {
            self.isPart = isPart
            self.bundleId = bundleId
            self.itemId = itemId
            self.title = title
            self.detail = detail
            self.advice = advice
            self.adviceURL = adviceURL
        }
    }

    /// One chart per activity (an SVG image as a data URL, and its reading in words).
    public struct Chart: Sendable {
        public var title: String
        public var imageURL: String
        public var description: String
        public init(title: String, imageURL: String, description: String) {
            self.title = title
            self.imageURL = imageURL
            self.description = description
        }
    }

    public static let templateName = "seance"
    public var layout: Layout
    public var id: String
    public var state: SeanceStateName
    public var libre: Bool
    public var className: String
    public var fields: SeanceFormFields
    public var problems: [String]
    public var notice: String?
    public var activities: [SeanceActivityItem]
    public var candidates: [Candidate]
    /// The catalogue's filter form over the candidates (GET on this page).
    public var filterForm: CatalogueFilterForm?
    /// « valide jusqu'au … » when a hand-over code is live.
    public var handoverUntil: Int64?
    public var handoverRevoked: Bool
    public var progress: ProgressTable?
    public var charts: [Chart]

    public init(
        layout: Layout, id: String, state: SeanceStateName, libre: Bool, className: String, fields: SeanceFormFields, problems: [String] = [],
        notice: String? = nil, activities: [SeanceActivityItem], candidates: [Candidate], filterForm: CatalogueFilterForm? = nil, handoverUntil: Int64? = nil,
        handoverRevoked: Bool = false, progress: ProgressTable? = nil, charts: [Chart] = []
    ) {
        self.layout = layout
        self.id = id
        self.state = state
        self.libre = libre
        self.className = className
        self.fields = fields
        self.problems = problems
        self.notice = notice
        self.activities = activities
        self.candidates = candidates
        self.filterForm = filterForm
        self.handoverUntil = handoverUntil
        self.handoverRevoked = handoverRevoked
        self.progress = progress
        self.charts = charts
    }

    struct ActivityView {
        let number: Int
        let title: String
        let detail: String
        let problem: String?
        let upAction: String?
        let downAction: String?
        let removeAction: String
    }

    struct CandidateView {
        let title: String
        let detail: String
        let bundleId: String
        let itemId: String
        let advice: String?
        let adviceURL: String?
        /// The SCOs/AUs of a course, folded under it (« Choisir une partie »).
        var parts: [CandidateView]
        /// Stored, not computed: templates read values through reflection.
        var hasParts = false
        var partsSummary: String
    }

    struct View {
        let heading: String
        let state: String
        let stateClass: String
        let className: String
        let slot: String?
        let editable: Bool
        let notice: String?
        let problems: [String]
        let hasProblems: Bool
        let updateAction: String
        let fields: SeanceFormFields.View
        let instructions: String
        let planB: String
        let activities: [ActivityView]
        let hasActivities: Bool
        let addAction: String
        let filterForm: Any?
        let candidates: [CandidateView]
        let hasCandidates: Bool
        let canHandOver: Bool
        let handoverAction: String
        let handoverText: String?
        let revokeAction: String?
        let runURL: String?
        let copyAction: String
        let deleteAction: String
        let backURL: String
        let progress: ProgressTable.View?
        let charts: [Chart]
        let csvURL: String?
    }

    /// Each course with its parts folded under it (the candidates come course first, then its parts).
    static func grouped(_ candidates: [Candidate], _ l: Language, _ t: SeanceTexts) -> [CandidateView] {
        var out: [CandidateView] = []
        for c in candidates {
            let view = CandidateView(
                title: c.title, detail: c.detail, bundleId: c.bundleId, itemId: c.itemId ?? "", advice: c.isPart ? nil : c.advice,
                adviceURL: c.isPart ? nil : c.adviceURL.map { URLs.localized($0, l) }, parts: [], partsSummary: "")
            if c.isPart, var course = out.popLast() {
                course.parts.append(view)
                course.hasParts = true
                course.partsSummary = t.partsSummary(course.parts.count)
                out.append(course)
            } else {
                out.append(view)
            }
        }
        return out
    }

    public func view(in language: Language) -> PageView {
        let l = language
        let t = SeanceTexts.pick(l)
        let editable = state == .brouillon || state == .confiee
        let last = activities.count - 1
        let activityViews = activities.enumerated().map { index, a in
            ActivityView(
                number: index + 1, title: a.title, detail: a.detail, problem: a.problem?.pick(l),
                upAction: editable && index > 0 ? URLs.localized(PortalPaths.seanceActivity(id, a.position, "monter"), l) : nil,
                downAction: editable && index < last ? URLs.localized(PortalPaths.seanceActivity(id, a.position, "descendre"), l) : nil,
                removeAction: URLs.localized(PortalPaths.seanceActivity(id, a.position, "retirer"), l))
        }
        let handoverText: String?
        if let until = handoverUntil, state == .confiee || state == .enCours {
            handoverText = handoverRevoked ? t.handoverRevoked : t.handoverLive(SlotText.moment(until, l))
        } else {
            handoverText = nil
        }
        let started = state == .enCours || state == .terminee
        let view = View(
            heading: fields.title, state: state.name(l), stateClass: "etat-" + state.rawValue, className: className,
            slot: SlotText.slot(SlotText.parse(date: fields.date, time: fields.start), SlotText.parse(date: fields.date, time: fields.end), l),
            editable: editable, notice: notice, problems: problems, hasProblems: !problems.isEmpty, updateAction: URLs.localized(PortalPaths.seance(id), l),
            fields: fields.view, instructions: fields.instructions, planB: fields.planB, activities: activityViews, hasActivities: !activities.isEmpty,
            addAction: URLs.localized(PortalPaths.seanceAction(id, "activites"), l), filterForm: filterForm?.view(in: l),
            candidates: Self.grouped(candidates, l, t),
            hasCandidates: !candidates.isEmpty, canHandOver: editable && !activities.isEmpty && !libre,
            handoverAction: URLs.localized(PortalPaths.seanceAction(id, "confier"), l), handoverText: handoverText,
            revokeAction: state == .confiee && !handoverRevoked ? URLs.localized(PortalPaths.seanceAction(id, "revoquer"), l) : nil,
            runURL: state == .enCours || state == .confiee || (libre && state != .terminee) ? URLs.localized(PortalPaths.substituteSeance(id), l) : nil,
            copyAction: URLs.localized(PortalPaths.seanceAction(id, "copier"), l), deleteAction: URLs.localized(PortalPaths.seanceAction(id, "supprimer"), l),
            backURL: URLs.localized(PortalPaths.teacher, l), progress: started ? progress?.view(l) : nil, charts: started ? charts.map { Chart(title: $0.title, imageURL: URLs.image($0.imageURL), description: $0.description) } : [],
            csvURL: started ? PortalPaths.seanceReportCSV(id) : nil)
        return PageView(title: fields.title, texts: t, data: view)
    }
}

/// The answer to « Confier »: the hand-over code (shown once), its QR, the window, and what the
/// substitute does — printable as the sheet that goes in the class folder.
public struct HandoverSheetPage: PageModel {
    public static let templateName = "handoverSheet"
    public var layout: Layout
    public var seanceTitle: String
    public var className: String
    public var slot: String?
    public var code: String
    public var qrImageURL: String
    public var substituteURL: String
    public var validUntil: Int64
    public var seanceId: String

    public init(layout: Layout, seanceTitle: String, className: String, slot: String?, code: String, qrImageURL: String, substituteURL: String, validUntil: Int64, seanceId: String) {
        self.layout = layout
        self.seanceTitle = seanceTitle
        self.className = className
        self.slot = slot
        self.code = code
        self.qrImageURL = qrImageURL
        self.substituteURL = substituteURL
        self.validUntil = validUntil
        self.seanceId = seanceId
    }

    struct View {
        let heading: String
        let className: String
        let slot: String?
        let code: String
        let qrImageURL: String
        let qrAlt: String
        let substituteURL: String
        let validity: String
        let backURL: String
    }

    public func view(in language: Language) -> PageView {
        let l = language
        let t = SeanceTexts.pick(l)
        let display = SeanceCode.display(code)
        return PageView(
            title: t.sheetTitle, texts: t,
            data: View(
                heading: seanceTitle, className: className, slot: slot, code: display, qrImageURL: URLs.image(qrImageURL), qrAlt: t.qrAlt(display),
                substituteURL: substituteURL, validity: t.validUntil(SlotText.moment(validUntil, l)), backURL: URLs.localized(PortalPaths.seance(seanceId), l)),
            bodyClass: "feuille")
    }
}

struct SeanceTexts: Sendable {
    let newTitle: String
    let back: String
    let titleLabel: String
    let titleHelp: String
    let classLabel: String
    let noClass: String
    let slotLegend: String
    let slotHelp: String
    let dateLabel: String
    let startLabel: String
    let endLabel: String
    let instructionsLabel: String
    let instructionsHelp: String
    let planBLabel: String
    let planBHelp: String
    let create: String
    let save: String
    let detailsTitle: String
    let problemsTitle: String
    let stateLabel: String
    let classWord: String
    let activitiesTitle: String
    let noActivities: String
    let up: String
    let down: String
    let remove: String
    let addTitle: String
    let openTraining: String
    let partsSummary: @Sendable (Int) -> String
    let add: String
    let noCandidates: String
    let candidatesHelp: String
    let handoverTitle: String
    let handoverHelp: String
    let handOver: String
    let handOverAgain: String
    let handoverLive: @Sendable (String) -> String
    let handoverRevoked: String
    let revoke: String
    let run: String
    let runHelp: String
    let needActivity: String
    let otherTitle: String
    let copy: String
    let delete: String
    let deleteConfirm: String
    let deleteWarning: String
    let reportTitle: String
    let reportHelp: String
    let csv: String
    let chartsTitle: String
    let pupil: String
    let joined: String
    let activityWord: String
    let noPupils: String
    let sheetTitle: String
    let sheetIntro: String
    let codeLabel: String
    let qrAlt: @Sendable (String) -> String
    let validUntil: @Sendable (String) -> String
    let sheetSteps: [String]
    let onceOnly: String
    let print: String
    let instructionsTitle: String
    let planBTitle: String

    static let fr = SeanceTexts(
        newTitle: "Préparer une séance", back: "Retour à mon espace", titleLabel: "Titre de la séance",
        titleHelp: "Par exemple « Fractions — CM2 B, jeudi 10 h ».", classLabel: "Classe",
        noClass: "Aucune classe ne vous est attribuée : demandez à l'administrateur de l'établissement.",
        slotLegend: "Créneau (facultatif)", slotHelp: "Sans créneau, le code de remise vaut 24 heures à partir du moment où vous confiez la séance.",
        dateLabel: "Date", startLabel: "Début", endLabel: "Fin", instructionsLabel: "Consignes pour le remplaçant",
        instructionsHelp: "Texte simple : ce que la classe fait, dans quel ordre, ce qui est attendu.", planBLabel: "Plan B sans écran (facultatif)",
        planBHelp: "Si les tablettes ou la box ne sont pas utilisables : exercice papier, page du manuel…", create: "Créer la séance",
        save: "Enregistrer", detailsTitle: "Titre, classe, créneau et consignes", problemsTitle: "Rien n'a été enregistré :", stateLabel: "État :", classWord: "Classe",
        activitiesTitle: "Activités, dans l'ordre", noActivities: "Aucune activité pour l'instant : ajoutez-en depuis le catalogue ci-dessous.",
        up: "Monter", down: "Descendre", remove: "Retirer", addTitle: "Ajouter une activité", openTraining: "ouvrir le module de formation", partsSummary: { "ou seulement une de ses \($0) parties" }, add: "Ajouter", noCandidates: "Aucune ressource ouverte aux élèves ne correspond.",
        candidatesHelp: "Seules les ressources que l'établissement peut utiliser avec des élèves aujourd'hui sont proposées.",
        handoverTitle: "Confier la séance", handoverHelp: "« Confier » crée un code de remise à 6 caractères et une feuille à imprimer pour le remplaçant. Un nouveau code remplace l'ancien.",
        handOver: "Confier (créer le code de remise)", handOverAgain: "Confier à nouveau (nouveau code)",
        handoverLive: { "Un code de remise est valable jusqu'au \($0)." }, handoverRevoked: "Le code de remise a été révoqué.",
        revoke: "Révoquer le code", run: "Conduire la séance", runHelp: "Ouvrir la vue de conduite (démarrer, code de la classe, suivi en direct).",
        needActivity: "Ajoutez au moins une activité pour pouvoir confier la séance.", otherTitle: "Autres actions", copy: "Copier la séance",
        delete: "Supprimer la séance", deleteConfirm: "Oui, supprimer cette séance", deleteWarning: "Supprimer la séance retire son code et son rapport ; les résultats des élèves restent sur la box jusqu'à la purge.",
        reportTitle: "Rapport", reportHelp: "Lu dans l'entrepôt local (LRS) de la box : les mêmes chiffres que ceux vus en direct.",
        csv: "Télécharger le rapport (CSV)", chartsTitle: "Par activité", pupil: "Élève", joined: "A rejoint", activityWord: "Activité",
        noPupils: "La classe n'a aucun élève.", sheetTitle: "Feuille de remise", sheetIntro: "Séance préparée pour un remplaçant.",
        codeLabel: "Code de remise :", qrAlt: { "QR code vers la page remplaçant, code \($0)" }, validUntil: { "Valable jusqu'au \($0)." },
        sheetSteps: [
            "Sur un ordinateur ou une tablette de l'école, ouvrez l'adresse ci-dessous (ou scannez le QR code).",
            "Tapez le code de remise : vous verrez la liste de la classe, les activités et les consignes.",
            "Appuyez sur « Démarrer » : un code pour les élèves s'affiche, à projeter au tableau.",
            "Suivez la progression des élèves en direct ; appuyez sur « Terminer » à la fin.",
        ],
        onceOnly: "Ce code ne sera plus affiché : imprimez cette feuille ou notez le code maintenant.", print: "Imprimez cette page (Ctrl+P) pour le dossier de la classe.",
        instructionsTitle: "Consignes", planBTitle: "Plan B sans écran")
    static let en = SeanceTexts(
        newTitle: "Prepare a session", back: "Back to my page", titleLabel: "Title of the session",
        titleHelp: "For example “Fractions — CM2 B, Thursday 10 am”.", classLabel: "Class",
        noClass: "No class is assigned to you: ask the school's administrator.",
        slotLegend: "Time slot (optional)", slotHelp: "Without a slot, the hand-over code is valid for 24 hours from when you hand the session over.",
        dateLabel: "Date", startLabel: "Start", endLabel: "End", instructionsLabel: "Instructions for the substitute",
        instructionsHelp: "Plain text: what the class does, in which order, what is expected.", planBLabel: "Plan B without screens (optional)",
        planBHelp: "If the tablets or the box cannot be used: a paper exercise, a page of the textbook…", create: "Create the session",
        save: "Save", detailsTitle: "Title, class, time slot and instructions", problemsTitle: "Nothing was saved:", stateLabel: "State:", classWord: "Class",
        activitiesTitle: "Activities, in order", noActivities: "No activity yet: add some from the catalogue below.",
        up: "Move up", down: "Move down", remove: "Remove", addTitle: "Add an activity", openTraining: "open the training module", partsSummary: { "or only one of its \($0) parts" }, add: "Add", noCandidates: "No resource open to pupils matches.",
        candidatesHelp: "Only the resources the school may use with pupils today are offered.",
        handoverTitle: "Hand the session over", handoverHelp: "“Hand over” makes a 6-character hand-over code and a sheet to print for the substitute. A new code replaces the old one.",
        handOver: "Hand over (make the hand-over code)", handOverAgain: "Hand over again (new code)",
        handoverLive: { "A hand-over code is valid until \($0)." }, handoverRevoked: "The hand-over code was revoked.",
        revoke: "Revoke the code", run: "Run the session", runHelp: "Open the running view (start, the class's code, live progress).",
        needActivity: "Add at least one activity to hand the session over.", otherTitle: "Other actions", copy: "Copy the session",
        delete: "Delete the session", deleteConfirm: "Yes, delete this session", deleteWarning: "Deleting the session removes its code and report; the pupils' results stay on the box until the purge.",
        reportTitle: "Report", reportHelp: "Read from the box's local LRS: the same numbers as seen live.",
        csv: "Download the report (CSV)", chartsTitle: "Per activity", pupil: "Pupil", joined: "Joined", activityWord: "Activity",
        noPupils: "The class has no pupils.", sheetTitle: "Hand-over sheet", sheetIntro: "A session prepared for a substitute.",
        codeLabel: "Hand-over code:", qrAlt: { "QR code to the substitute's page, code \($0)" }, validUntil: { "Valid until \($0)." },
        sheetSteps: [
            "On a school computer or tablet, open the address below (or scan the QR code).",
            "Type the hand-over code: you will see the class list, the activities and the instructions.",
            "Press “Start”: a code for the pupils appears, to show on the board.",
            "Follow the pupils' progress live; press “End” at the end.",
        ],
        onceOnly: "This code will not be shown again: print this sheet or write the code down now.", print: "Print this page (Ctrl+P) for the class folder.",
        instructionsTitle: "Instructions", planBTitle: "Plan B without screens")
    static func pick(_ l: Language) -> SeanceTexts { l == .fr ? fr : en }
}
