import RelaisCore

/// `/remplacant`: a substitute types the hand-over code.
public struct SubstituteCodePage: PageModel {
    public enum Problem: Sendable, Equatable {
        case refused
        case throttled(minutes: Int)
    }

    public static let templateName = "substituteCode"
    public var layout: Layout
    public var typed: String
    public var problem: Problem?

    public init(layout: Layout, typed: String = "", problem: Problem? = nil) {
        self.layout = layout
        self.typed = typed
        self.problem = problem
    }

    struct View {
        let action: String
        let typed: String
        let problem: String?
    }

    public func view(in language: Language) -> PageView {
        let t = SubstituteTexts.pick(language)
        let text: String? = problem.map {
            switch $0 {
            case .refused: return t.refused
            case .throttled(let minutes): return t.throttled(minutes)
            }
        }
        return PageView(title: t.codeTitle, texts: t, data: View(action: URLs.localized(PortalPaths.substitute, language), typed: typed, problem: text))
    }
}

/// `/remplacant/{séance}`: what the substitute (or the teacher, or the admin) runs: the class
/// list, the activities, the instructions and plan B; « Démarrer » (then the join code and its
/// QR, the live progress table); « Terminer ».
public struct SubstituteSeancePage: PageModel {
    public static let templateName = "substituteSeance"
    public var layout: Layout
    public var seanceId: String
    public var title: String
    public var className: String
    public var slot: String?
    public var state: SeanceStateName
    public var instructions: String
    public var planB: String
    public var activities: [String]
    public var pupils: [String]
    /// While running: the join code, its QR (data URL) and the address pupils open.
    public var joinCode: String?
    public var joinQRImageURL: String?
    public var joinURL: String?
    public var progress: ProgressTable
    /// When the substitute's access ends.
    public var accessUntil: Int64?
    public var notice: Bilingual?

    public init(
        layout: Layout, seanceId: String, title: String, className: String, slot: String?, state: SeanceStateName, instructions: String, planB: String,
        activities: [String], pupils: [String], joinCode: String? = nil, joinQRImageURL: String? = nil, joinURL: String? = nil, progress: ProgressTable,
        accessUntil: Int64? = nil, notice: Bilingual? = nil
    ) {
        self.layout = layout
        self.seanceId = seanceId
        self.title = title
        self.className = className
        self.slot = slot
        self.state = state
        self.instructions = instructions
        self.planB = planB
        self.activities = activities
        self.pupils = pupils
        self.joinCode = joinCode
        self.joinQRImageURL = joinQRImageURL
        self.joinURL = joinURL
        self.progress = progress
        self.accessUntil = accessUntil
        self.notice = notice
    }

    struct View {
        let heading: String
        let className: String
        let slot: String?
        let state: String
        let stateClass: String
        let notice: String?
        let instructions: String
        let hasInstructions: Bool
        let planB: String
        let hasPlanB: Bool
        let activities: [String]
        let pupils: [String]
        let pupilCount: String
        let canStart: Bool
        let startAction: String
        let running: Bool
        let ended: Bool
        let joinCode: String?
        let joinQRImageURL: String?
        let qrAlt: String
        let joinURL: String?
        let projectorURL: String
        let endAction: String
        let progressURL: String
        let progress: ProgressTable.View
        let accessUntil: String?
        let scriptURL: String
    }

    public func view(in language: Language) -> PageView {
        let l = language
        let t = SubstituteTexts.pick(l)
        let code = joinCode.map(SeanceCode.display)
        let view = View(
            heading: title, className: className, slot: slot, state: state.name(l), stateClass: "etat-" + state.rawValue, notice: notice?.pick(l),
            instructions: instructions, hasInstructions: !instructions.isEmpty, planB: planB, hasPlanB: !planB.isEmpty, activities: activities,
            pupils: pupils, pupilCount: l.pick("\(pupils.count) élève(s)", "\(pupils.count) pupil(s)"), canStart: state == .confiee || state == .brouillon,
            startAction: URLs.localized(PortalPaths.substituteAction(seanceId, "demarrer"), l), running: state == .enCours, ended: state == .terminee,
            joinCode: code, joinQRImageURL: joinQRImageURL.map(URLs.image), qrAlt: t.qrAlt(code ?? ""), joinURL: joinURL,
            projectorURL: URLs.localized(PortalPaths.substituteAction(seanceId, "projection"), l),
            endAction: URLs.localized(PortalPaths.substituteAction(seanceId, "terminer"), l),
            progressURL: URLs.localized(PortalPaths.substituteAction(seanceId, "suivi"), l), progress: progress.view(l),
            accessUntil: accessUntil.map { t.accessUntil(SlotText.moment($0, l)) }, scriptURL: Assets.progressScriptPath)
        return PageView(title: title, texts: t, data: view, bodyClass: "conduite")
    }
}

/// `/remplacant/{séance}/projection`: the join code, large, and its QR, for the projector.
public struct ProjectorPage: PageModel {
    public static let templateName = "projector"
    public var layout: Layout
    public var seanceId: String
    public var title: String
    public var joinCode: String
    public var joinQRImageURL: String
    public var homeURL: String

    public init(layout: Layout, seanceId: String, title: String, joinCode: String, joinQRImageURL: String, homeURL: String) {
        self.layout = layout
        self.seanceId = seanceId
        self.title = title
        self.joinCode = joinCode
        self.joinQRImageURL = joinQRImageURL
        self.homeURL = homeURL
    }

    struct View {
        let heading: String
        let code: String
        let qrImageURL: String
        let qrAlt: String
        let homeURL: String
        let backURL: String
    }

    public func view(in language: Language) -> PageView {
        let t = SubstituteTexts.pick(language)
        let code = SeanceCode.display(joinCode)
        return PageView(
            title: t.projectorTitle, texts: t,
            data: View(
                heading: title, code: code, qrImageURL: URLs.image(joinQRImageURL), qrAlt: t.qrAlt(code), homeURL: homeURL,
                backURL: URLs.localized(PortalPaths.substituteSeance(seanceId), language)),
            bodyClass: "projection")
    }
}

/// `/remplacant/{séance}/suivi`: the progress table alone (no layout), which the running page
/// fetches every few seconds to replace its own.
public struct ProgressFragmentPage: PageModel {
    public static let templateName = "progressFragment"
    public var layout: Layout
    public var progress: ProgressTable

    public init(layout: Layout, progress: ProgressTable) {
        self.layout = layout
        self.progress = progress
    }

    struct View {
        let progress: ProgressTable.View
    }

    public func view(in language: Language) -> PageView {
        PageView(title: "", texts: SubstituteTexts.pick(language), data: View(progress: progress.view(language)))
    }
}

struct SubstituteTexts: Sendable {
    let codeTitle: String
    let codeLabel: String
    let codeHelp: String
    let open: String
    let refused: String
    let throttled: @Sendable (Int) -> String
    let instructionsTitle: String
    let planBTitle: String
    let activitiesTitle: String
    let classTitle: String
    let start: String
    let startHelp: String
    let joinTitle: String
    let joinHelp: String
    let qrAlt: @Sendable (String) -> String
    let projector: String
    let progressTitle: String
    let progressHelp: String
    let refresh: String
    let end: String
    let endConfirm: String
    let resultsTitle: String
    let endHelp: String
    let endedText: String
    let accessUntil: @Sendable (String) -> String
    let projectorTitle: String
    let projectorIntro: String
    let back: String
    let pupil: String
    let joined: String
    let activityWord: String
    let noPupils: String

    static let fr = SubstituteTexts(
        codeTitle: "Remplaçant : ouvrir une séance", codeLabel: "Code de remise",
        codeHelp: "Les 6 caractères de la feuille de remise (par exemple K7M-4PX), avec ou sans tiret.", open: "Ouvrir la séance",
        refused: "Ce code n'ouvre aucune séance (il est faux, expiré ou révoqué). Vérifiez la feuille de remise.",
        throttled: { "Trop de codes erronés depuis cet appareil. Réessayez dans \($0) min." }, instructionsTitle: "Consignes",
        planBTitle: "Plan B sans écran", activitiesTitle: "Activités", classTitle: "La classe", start: "Démarrer la séance",
        startHelp: "Démarrer affiche le code que les élèves tapent sur leur tablette.", joinTitle: "Code pour les élèves",
        joinHelp: "Les élèves ouvrent l'adresse ci-dessous (ou scannent le QR code), tapent ce code puis choisissent leur prénom.",
        qrAlt: { "QR code pour rejoindre la séance, code \($0)" }, projector: "Afficher en grand pour le vidéoprojecteur",
        progressTitle: "Suivi en direct", progressHelp: "Le tableau se met à jour tout seul toutes les 5 secondes.", refresh: "Actualiser",
        end: "Terminer la séance", endConfirm: "Oui, la séance est finie : le code des élèves cessera de fonctionner", resultsTitle: "Résultats de la séance", endHelp: "Terminer : le code des élèves cesse de fonctionner ; les résultats restent pour l'enseignant.",
        endedText: "Séance terminée : le code des élèves ne fonctionne plus.", accessUntil: { "Votre accès à cette séance prend fin le \($0)." },
        projectorTitle: "Code de la séance", projectorIntro: "Ouvrez l'adresse, tapez le code, choisissez votre prénom :", back: "Retour au suivi",
        pupil: "Élève", joined: "A rejoint", activityWord: "Activité", noPupils: "La classe n'a aucun élève.")
    static let en = SubstituteTexts(
        codeTitle: "Substitute: open a session", codeLabel: "Hand-over code",
        codeHelp: "The 6 characters of the hand-over sheet (for example K7M-4PX), with or without the dash.", open: "Open the session",
        refused: "This code opens no session (wrong, expired or revoked). Check the hand-over sheet.",
        throttled: { "Too many wrong codes from this device. Try again in \($0) min." }, instructionsTitle: "Instructions",
        planBTitle: "Plan B without screens", activitiesTitle: "Activities", classTitle: "The class", start: "Start the session",
        startHelp: "Starting shows the code pupils type on their tablets.", joinTitle: "Code for the pupils",
        joinHelp: "Pupils open the address below (or scan the QR code), type this code, then pick their name.",
        qrAlt: { "QR code to join the session, code \($0)" }, projector: "Show large for the projector",
        progressTitle: "Live progress", progressHelp: "The table updates itself every 5 seconds.", refresh: "Refresh",
        end: "End the session", endConfirm: "Yes, the session is over: the pupils' code will stop working", resultsTitle: "Results of the session", endHelp: "Ending: the pupils' code stops working; the results stay for the teacher.",
        endedText: "Session ended: the pupils' code no longer works.", accessUntil: { "Your access to this session ends on \($0)." },
        projectorTitle: "Session code", projectorIntro: "Open the address, type the code, pick your name:", back: "Back to progress",
        pupil: "Pupil", joined: "Joined", activityWord: "Activity", noPupils: "The class has no pupils.")
    static func pick(_ l: Language) -> SubstituteTexts { l == .fr ? fr : en }
}
