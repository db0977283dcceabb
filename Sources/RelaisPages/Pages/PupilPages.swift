import RelaisCore

/// `/`: a pupil types the join code of their séance (a QR scan lands on `/s/{code}` instead).
public struct PupilHomePage: PageModel {
    public enum Problem: Sendable, Equatable {
        case unknownCode
        case throttled(minutes: Int)
        case seanceEnded
    }

    public static let templateName = "pupilHome"
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
        let staffURL: String
        let substituteURL: String
        let catalogueURL: String
    }

    public func view(in language: Language) -> PageView {
        let l = language
        let t = PupilTexts.pick(l)
        let text: String? = problem.map {
            switch $0 {
            case .unknownCode: return t.unknownCode
            case .throttled(let minutes): return t.throttled(minutes)
            case .seanceEnded: return t.seanceEnded
            }
        }
        return PageView(
            title: t.homeTitle, texts: t,
            data: View(
                action: URLs.localized(PortalPaths.pupilJoin, l), typed: typed, problem: text, staffURL: URLs.localized(PortalPaths.signIn, l),
                substituteURL: URLs.localized(PortalPaths.substitute, l), catalogueURL: URLs.localized(PortalPaths.catalogue, l)),
            bodyClass: "eleve")
    }
}

/// `/s/{code}`: the class list of the séance; a pupil picks their name (first name + initial).
public struct PupilNamesPage: PageModel {
    public struct Name: Sendable {
        public var id: String
        public var displayName: String
        /// Already picked on a device in this séance (shown, still selectable: a pupil may change tablet).
        public var joined: Bool
        public init(id: String, displayName: String, joined: Bool = false) {
            self.id = id
            self.displayName = displayName
            self.joined = joined
        }
    }

    public static let templateName = "pupilNames"
    public var layout: Layout
    public var seanceTitle: String
    public var className: String
    public var code: String
    public var names: [Name]

    public init(layout: Layout, seanceTitle: String, className: String, code: String, names: [Name]) {
        self.layout = layout
        self.seanceTitle = seanceTitle
        self.className = className
        self.code = code
        self.names = names
    }

    struct View {
        let heading: String
        let className: String
        let action: String
        let names: [Name]
        let hasNames: Bool
        let backURL: String
    }

    public func view(in language: Language) -> PageView {
        let t = PupilTexts.pick(language)
        return PageView(
            title: t.namesTitle, texts: t,
            data: View(
                heading: seanceTitle, className: className, action: URLs.localized(PortalPaths.joinCode(code), language), names: names, hasNames: !names.isEmpty,
                backURL: URLs.localized(PortalPaths.pupilHome, language)),
            bodyClass: "eleve")
    }
}

/// `/eleve`: the pupil's séance: their name, the activities in order, each with its state.
public struct PupilActivitiesPage: PageModel {
    public struct Activity: Sendable {
        public var position: Int
        public var title: String
        public var cell: ProgressCellItem
        public var problem: Bilingual?
        public init(position: Int, title: String, cell: ProgressCellItem, problem: Bilingual? = nil) {
            self.position = position
            self.title = title
            self.cell = cell
            self.problem = problem
        }
    }

    public static let templateName = "pupilActivities"
    public var layout: Layout
    public var pupilName: String
    public var seanceTitle: String
    public var activities: [Activity]
    public var notice: Bilingual?

    public init(layout: Layout, pupilName: String, seanceTitle: String, activities: [Activity], notice: Bilingual? = nil) {
        self.layout = layout
        self.pupilName = pupilName
        self.seanceTitle = seanceTitle
        self.activities = activities
        self.notice = notice
    }

    struct ActivityView {
        let number: Int
        let title: String
        let state: String
        let stateClass: String
        let action: String
        let openLabel: String
        let problem: String?
    }

    struct View {
        let hello: String
        let heading: String
        let notice: String?
        let activities: [ActivityView]
        let leaveAction: String
    }

    public func view(in language: Language) -> PageView {
        let l = language
        let t = PupilTexts.pick(l)
        let views = activities.map { a in
            let cell = ProgressTable.cell(a.cell, l)
            return ActivityView(
                number: a.position + 1, title: a.title, state: a.cell.launched ? cell.label : t.notStarted, stateClass: cell.cssClass,
                action: URLs.localized(PortalPaths.pupilLaunch(a.position), l), openLabel: a.cell.launched ? t.resume : t.open, problem: a.problem?.pick(l))
        }
        return PageView(
            title: t.activitiesTitle, texts: t,
            data: View(hello: t.hello(pupilName), heading: seanceTitle, notice: notice?.pick(l), activities: views, leaveAction: URLs.localized(PortalPaths.pupilLeave, l)),
            bodyClass: "eleve")
    }
}

struct PupilTexts: Sendable {
    let homeTitle: String
    let codeLabel: String
    let codeHelp: String
    let join: String
    let unknownCode: String
    let throttled: @Sendable (Int) -> String
    let seanceEnded: String
    let others: String
    let staff: String
    let substitute: String
    let catalogue: String
    let namesTitle: String
    let pickName: String
    let alreadyIn: String
    let noNames: String
    let wrongSeance: String
    let activitiesTitle: String
    let hello: @Sendable (String) -> String
    let notStarted: String
    let open: String
    let resume: String
    let notMe: String
    let activityWord: String

    static let fr = PupilTexts(
        homeTitle: "Rejoindre ma séance", codeLabel: "Tape le code de ta séance",
        codeHelp: "Six lettres ou chiffres, affichés au tableau (par exemple HQ4-9ZT). Majuscules ou minuscules, avec ou sans tiret.",
        join: "Rejoindre", unknownCode: "Ce code ne correspond à aucune séance en cours. Vérifie-le au tableau et tape-le à nouveau.",
        throttled: { "Trop de codes erronés depuis cet appareil. Réessaie dans \($0) min ou demande à l'adulte de la classe." },
        seanceEnded: "Cette séance est terminée.", others: "Adultes", staff: "Personnel : se connecter", substitute: "Remplaçant : code de séance",
        catalogue: "Catalogue des ressources", namesTitle: "Choisis ton prénom", pickName: "Touche ton prénom :", alreadyIn: "déjà entré·e",
        noNames: "La classe n'a encore aucun élève inscrit. Préviens l'adulte de la classe.",
        wrongSeance: "Ce n'est pas ta séance ? Reviens à l'accueil et tape le code affiché.", activitiesTitle: "Mes activités",
        hello: { "Bonjour \($0) !" }, notStarted: "pas commencée", open: "Commencer", resume: "Reprendre", notMe: "Ce n'est pas moi",
        activityWord: "Activité")
    static let en = PupilTexts(
        homeTitle: "Join my session", codeLabel: "Type your session's code",
        codeHelp: "Six letters or digits, shown on the board (for example HQ4-9ZT). Upper or lower case, with or without the dash.",
        join: "Join", unknownCode: "This code matches no running session. Check it on the board and type it again.",
        throttled: { "Too many wrong codes from this device. Try again in \($0) min or ask the adult in the room." },
        seanceEnded: "This session has ended.", others: "Adults", staff: "Staff: sign in", substitute: "Substitute: session code",
        catalogue: "Resource catalogue", namesTitle: "Pick your name", pickName: "Tap your name:", alreadyIn: "already in",
        noNames: "No pupil is registered in the class yet. Tell the adult in the room.",
        wrongSeance: "Not your session? Go back home and type the code on the board.", activitiesTitle: "My activities",
        hello: { "Hello \($0)!" }, notStarted: "not started", open: "Start", resume: "Resume", notMe: "This is not me",
        activityWord: "Activity")
    static func pick(_ l: Language) -> PupilTexts { l == .fr ? fr : en }
}
