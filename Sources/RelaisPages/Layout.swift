import RelaisCore

/// What every page shares: the school's name, who is signed in, the session's CSRF token, the
/// path the page was asked for (for the language switch) and the language.
public struct Layout: Sendable {
    /// The role of a staff account, as pages name it (the same raw values as the people layer's
    /// `StaffRole`: `admin`, `enseignant`).
    public enum Role: String, Sendable, CaseIterable {
        case admin, enseignant

        func name(_ language: Language) -> String {
            switch self {
            case .admin: return language.pick("administrateur", "administrator")
            case .enseignant: return language.pick("enseignant", "teacher")
            }
        }
    }

    /// The person signed in on this device, shown in every page's header.
    public struct Person: Sendable {
        public var name: String
        public var role: Role

        public init(name: String, role: Role) {
            self.name = name
            self.role = role
        }
    }

    public var schoolName: String
    public var person: Person?
    /// The session's anti-forgery token: every POST form of the page carries it as `csrf`.
    public var csrf: String?
    /// The path (and query) of the page as asked, e.g. `/catalogue?public=ELEVE`: the footer links
    /// to the same page in the other language.
    public var path: String
    public var language: Language

    public init(schoolName: String, person: Person? = nil, csrf: String? = nil, path: String, language: Language) {
        self.schoolName = schoolName
        self.person = person
        self.csrf = csrf
        self.path = path
        self.language = language
    }
}

/// The layout's texts.
struct LayoutTexts: Sendable {
    let skip: String
    let signedInAs: String
    let signOut: String
    let signIn: String
    let switchLanguage: String
    let home: String

    static let fr = LayoutTexts(
        skip: "Aller au contenu", signedInAs: "Connecté :", signOut: "Se déconnecter", signIn: "Connexion",
        switchLanguage: "English", home: "Accueil")
    static let en = LayoutTexts(
        skip: "Skip to content", signedInAs: "Signed in:", signOut: "Sign out", signIn: "Sign in",
        switchLanguage: "Français", home: "Home")

    static func pick(_ l: Language) -> LayoutTexts { l == .fr ? fr : en }
}

/// What the layout template reads (one language, every URL already made safe).
struct LayoutView {
    struct Person {
        let name: String
        let roleName: String
    }

    let lang: String
    let otherLang: String
    let title: String
    let schoolName: String
    let person: Person?
    let csrf: String?
    let cssURL: String
    let homeURL: String
    let signInURL: String
    let signOutURL: String
    let switchURL: String
    let version: String
    let bodyClass: String?
    let t: LayoutTexts

    init(_ layout: Layout, title: String, bodyClass: String?) {
        let l = layout.language
        lang = l.rawValue
        otherLang = l.other.rawValue
        self.title = title
        schoolName = layout.schoolName
        person = layout.person.map { Person(name: $0.name, roleName: $0.role.name(l)) }
        csrf = layout.csrf
        cssURL = Assets.cssURL
        homeURL = URLs.localized("/", l)
        signInURL = URLs.localized(PortalPaths.signIn, l)
        signOutURL = URLs.localized(PortalPaths.signOut, l)
        switchURL = URLs.switching(layout.path, to: l.other)
        version = RelaisVersion.current
        self.bodyClass = bodyClass
        t = LayoutTexts.pick(l)
    }
}
