/// The page a device gets when a bundle cannot be opened: the reason in the page's language, the
/// other language below, and a way back to the catalogue.
public struct LaunchRefusalPage: PageModel {
    public static let templateName = "launchRefusal"
    public var layout: Layout
    /// The HTTP status the route answers with (403, 404, 409…); shown nowhere, kept for the route.
    public var status: Int
    /// Why and what to do, in French and English (`LicenceState`'s explanations).
    public var french: String
    public var english: String
    public var backURL: String

    public init(layout: Layout, status: Int, french: String, english: String, backURL: String = PortalPaths.catalogue) {
        self.layout = layout
        self.status = status
        self.french = french
        self.english = english
        self.backURL = backURL
    }

    struct View {
        let first: String
        let second: String
        let secondLang: String
        let backURL: String
    }

    public func view(in language: Language) -> PageView {
        let t = RefusalTexts.pick(language)
        let (first, second) = language == .fr ? (french, english) : (english, french)
        return PageView(
            title: t.title, texts: t,
            data: View(first: first, second: second, secondLang: language.other.rawValue, backURL: URLs.localized(backURL, language)))
    }
}

struct RefusalTexts: Sendable {
    let title: String
    let back: String

    static let fr = RefusalTexts(title: "Ressource indisponible", back: "Retour au catalogue")
    static let en = RefusalTexts(title: "Resource unavailable", back: "Back to the catalogue")
    static func pick(_ l: Language) -> RefusalTexts { l == .fr ? fr : en }
}

/// The first-name form a launch asks a guest for (no account): a POST form, pre-filled on a
/// device that launched before.
public struct LearnerFormPage: PageModel {
    public static let templateName = "learnerForm"
    public var layout: Layout
    public var bundleTitle: Bilingual
    /// Where the form posts (`/lancer/{id}`).
    public var actionURL: String
    public var firstName: String?
    /// The first name was missing or refused: say so.
    public var problem: Bool
    public var backURL: String

    public init(layout: Layout, bundleTitle: Bilingual, actionURL: String, firstName: String? = nil, problem: Bool = false, backURL: String = PortalPaths.catalogue) {
        self.layout = layout
        self.bundleTitle = bundleTitle
        self.actionURL = actionURL
        self.firstName = firstName
        self.problem = problem
        self.backURL = backURL
    }

    struct View {
        let title: String
        let actionURL: String
        let firstName: String
        let problem: Bool
        let backURL: String
    }

    public func view(in language: Language) -> PageView {
        let title = bundleTitle.pick(language)
        return PageView(
            title: title, texts: LearnerTexts.pick(language),
            data: View(
                title: title, actionURL: URLs.localized(actionURL, language), firstName: firstName ?? "", problem: problem,
                backURL: URLs.localized(backURL, language)))
    }
}

struct LearnerTexts: Sendable {
    let problem: String
    let label: String
    let help: String
    let start: String
    let privacy: String
    let back: String

    static let fr = LearnerTexts(
        problem: "Écris ton prénom pour commencer.", label: "Quel est ton prénom ?",
        help: "Deux élèves de la classe ont le même prénom ? Ajoute l'initiale de ton nom, par exemple « Lucas B. », pour retrouver ta progression.",
        start: "Commencer", privacy: "Ton prénom reste sur la box de l'école : il n'est jamais envoyé ailleurs.",
        back: "Retour au catalogue")
    static let en = LearnerTexts(
        problem: "Type your first name to start.", label: "What is your first name?",
        help: "Two pupils in the class share a first name? Add your surname's initial, e.g. “Lucas B.”, to find your own progress.",
        start: "Start", privacy: "Your first name stays on the school's box: it is never sent anywhere else.",
        back: "Back to the catalogue")
    static func pick(_ l: Language) -> LearnerTexts { l == .fr ? fr : en }
}

/// `/lecture/{launch}` on the portal: a slim bar (the activity's title, « Retour ») above the player,
/// framed from the bundle's own origin in a sandbox without popups, top navigation, modals or
/// downloads. The layout's header and footer are in the page but not shown (`body.player`): the
/// activity gets the whole screen below the bar.
public struct PlayerPage: PageModel {
    public static let templateName = "player"
    /// The frame's sandbox, exactly: safe only because the frame's origin is not the portal's.
    public static let sandbox = "allow-scripts allow-same-origin allow-forms"
    public static let allow = "fullscreen; autoplay"

    public var layout: Layout
    public var activityTitle: Bilingual
    /// The player on the bundle's own origin (an absolute http(s) URL).
    public var frameURL: String
    public var backURL: String

    public init(layout: Layout, activityTitle: Bilingual, frameURL: String, backURL: String = PortalPaths.catalogue) {
        self.layout = layout
        self.activityTitle = activityTitle
        self.frameURL = frameURL
        self.backURL = backURL
    }

    struct View {
        let title: String
        let frameURL: String
        let backURL: String
    }

    public func view(in language: Language) -> PageView {
        let title = activityTitle.pick(language)
        return PageView(
            title: title, texts: PlayerTexts.pick(language),
            data: View(
                title: title, frameURL: URLs.safe(frameURL), backURL: URLs.localized(backURL, language)),
            bodyClass: "player")
    }
}

struct PlayerTexts: Sendable {
    let back: String
    let frameLabel: String

    static let fr = PlayerTexts(back: "Retour", frameLabel: "Activité :")
    static let en = PlayerTexts(back: "Back", frameLabel: "Activity:")
    static func pick(_ l: Language) -> PlayerTexts { l == .fr ? fr : en }
}

/// A message instead of the page asked for: 403, 404, 429 (with the minutes to wait), 400 for a
/// form whose anti-forgery token was refused, or a form refused for another reason.
public struct MessagePage: PageModel {
    public enum Kind: Sendable, Equatable {
        case forbidden
        case notFound
        case throttled(minutes: Int)
        /// The CSRF token was missing or wrong (the page was old, or another site posted).
        case expiredForm
        case badRequest

        /// The HTTP status the route answers with.
        public var status: Int {
            switch self {
            case .forbidden: return 403
            case .notFound: return 404
            case .throttled: return 429
            case .expiredForm, .badRequest: return 400
            }
        }
    }

    public static let templateName = "message"
    public var layout: Layout
    public var kind: Kind
    public var backURL: String

    public init(layout: Layout, kind: Kind, backURL: String = "/") {
        self.layout = layout
        self.kind = kind
        self.backURL = backURL
    }

    struct View {
        let heading: String
        let text: String
        let backURL: String
    }

    public func view(in language: Language) -> PageView {
        let t = MessageTexts.pick(language)
        let (heading, text): (String, String)
        switch kind {
        case .forbidden: (heading, text) = (t.forbiddenTitle, t.forbidden)
        case .notFound: (heading, text) = (t.notFoundTitle, t.notFound)
        case .throttled(let minutes): (heading, text) = (t.throttledTitle, t.throttled(minutes))
        case .expiredForm: (heading, text) = (t.expiredTitle, t.expired)
        case .badRequest: (heading, text) = (t.badRequestTitle, t.badRequest)
        }
        return PageView(title: heading, texts: t, data: View(heading: heading, text: text, backURL: URLs.localized(backURL, language)))
    }
}

struct MessageTexts: Sendable {
    let forbiddenTitle: String
    let forbidden: String
    let notFoundTitle: String
    let notFound: String
    let throttledTitle: String
    let throttled: @Sendable (Int) -> String
    let expiredTitle: String
    let expired: String
    let badRequestTitle: String
    let badRequest: String
    let back: String

    static let fr = MessageTexts(
        forbiddenTitle: "Accès refusé", forbidden: "Cette page n'est pas ouverte à votre compte. Connectez-vous avec un compte qui y a accès.",
        notFoundTitle: "Page introuvable", notFound: "Cette adresse ne correspond à aucune page de la box. Vérifiez-la ou revenez à l'accueil.",
        throttledTitle: "Trop de tentatives", throttled: { "Trop de tentatives. Réessayez dans \(minutesFR($0))." },
        expiredTitle: "Page expirée", expired: "Cette page a expiré, rechargez-la et recommencez.",
        badRequestTitle: "Demande refusée", badRequest: "Le formulaire envoyé est incomplet ou invalide. Revenez en arrière et recommencez.",
        back: "Retour à l'accueil")
    static let en = MessageTexts(
        forbiddenTitle: "Access denied", forbidden: "This page is not open to your account. Sign in with an account that may see it.",
        notFoundTitle: "Page not found", notFound: "No page of the box has this address. Check it or go back home.",
        throttledTitle: "Too many attempts", throttled: { "Too many attempts. Try again in \(minutesEN($0))." },
        expiredTitle: "Page expired", expired: "This page has expired: reload it and try again.",
        badRequestTitle: "Request refused", badRequest: "The form sent was incomplete or invalid. Go back and try again.",
        back: "Back home")
    static func pick(_ l: Language) -> MessageTexts { l == .fr ? fr : en }
}

func minutesFR(_ n: Int) -> String { n <= 1 ? "1 minute" : "\(n) minutes" }
func minutesEN(_ n: Int) -> String { n <= 1 ? "1 minute" : "\(n) minutes" }

/// « Êtes-vous sûr ? » before an action that cannot be undone (remove a pupil and their data,
/// delete a class, disable an account): what will happen, a button that posts the action again
/// with `confirmer=oui`, and the way back. No script: the first click lands here.
public struct ConfirmPage: PageModel {
    public enum Action: Sendable, Equatable {
        case removePupil(name: String)
        case deleteClass(name: String)
        case disableStaff(name: String)
    }

    public static let templateName = "confirm"
    public var layout: Layout
    public var action: Action
    public var actionURL: String
    public var backURL: String

    public init(layout: Layout, action: Action, actionURL: String, backURL: String) {
        self.layout = layout
        self.action = action
        self.actionURL = actionURL
        self.backURL = backURL
    }

    struct View {
        let heading: String
        let text: String
        let confirm: String
        let actionURL: String
        let backURL: String
    }

    public func view(in language: Language) -> PageView {
        let t = ConfirmTexts.pick(language)
        let (heading, text, confirm): (String, String, String)
        switch action {
        case .removePupil(let name): (heading, text, confirm) = (t.removePupilTitle(name), t.removePupilText, t.removePupil)
        case .deleteClass(let name): (heading, text, confirm) = (t.deleteClassTitle(name), t.deleteClassText, t.deleteClass)
        case .disableStaff(let name): (heading, text, confirm) = (t.disableTitle(name), t.disableText, t.disable)
        }
        return PageView(
            title: heading, texts: t,
            data: View(heading: heading, text: text, confirm: confirm, actionURL: URLs.localized(actionURL, language), backURL: URLs.localized(backURL, language)))
    }
}

struct ConfirmTexts: Sendable {
    let removePupilTitle: @Sendable (String) -> String
    let removePupilText: String
    let removePupil: String
    let deleteClassTitle: @Sendable (String) -> String
    let deleteClassText: String
    let deleteClass: String
    let disableTitle: @Sendable (String) -> String
    let disableText: String
    let disable: String
    let cancel: String

    static let fr = ConfirmTexts(
        removePupilTitle: { "Retirer \($0) ?" },
        removePupilText: "L'élève quitte la classe et toutes ses données sur la box sont supprimées (activités, résultats, y compris ceux pas encore envoyés). C'est définitif.",
        removePupil: "Oui, retirer l'élève et supprimer ses données",
        deleteClassTitle: { "Supprimer la classe \($0) ?" },
        deleteClassText: "La classe, ses élèves, leurs données sur la box et les séances de la classe sont supprimés. C'est définitif.",
        deleteClass: "Oui, supprimer la classe et les données de ses élèves",
        disableTitle: { "Désactiver le compte de \($0) ?" },
        disableText: "La personne est déconnectée tout de suite et ne peut plus se connecter ; ses séances restent.",
        disable: "Oui, désactiver ce compte", cancel: "Annuler")
    static let en = ConfirmTexts(
        removePupilTitle: { "Remove \($0)?" },
        removePupilText: "The pupil leaves the class and all their data on the box is deleted (activities, results, even those not sent yet). It cannot be undone.",
        removePupil: "Yes, remove the pupil and delete their data",
        deleteClassTitle: { "Delete the class \($0)?" },
        deleteClassText: "The class, its pupils, their data on the box and the class's sessions are deleted. It cannot be undone.",
        deleteClass: "Yes, delete the class and its pupils' data",
        disableTitle: { "Disable \($0)'s account?" },
        disableText: "The person is signed out at once and can no longer sign in; their sessions stay.",
        disable: "Yes, disable this account", cancel: "Cancel")
    static func pick(_ l: Language) -> ConfirmTexts { l == .fr ? fr : en }
}
