/// `/connexion`: sign in (login, password), or set a new password with the one-time code the admin
/// gave. The failure message never says which of the two was wrong.
public struct SignInPage: PageModel {
    public enum ResetProblem: Sendable, Equatable {
        /// The login and code do not match a valid code (wrong, used or expired: never which).
        case invalidCode
        case passwordTooShort(minimum: Int)
        case passwordsDiffer
    }

    public static let templateName = "signIn"

    /// `/connexion?suite=PATH` for a path of this portal; nil for anything else.
    static func signInAction(returningTo path: String) -> String? {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), URLs.safe(path) == path else { return nil }
        return PortalPaths.signIn + "?suite=" + URLs.segment(path)
    }
    public var layout: Layout
    /// The login typed before, kept in the field.
    public var login: String
    /// The last attempt failed (generic message).
    public var failed: Bool
    /// Sign-in is throttled for this account or address: minutes to wait.
    public var throttledMinutes: Int?
    /// The login typed in the new-password form, kept.
    public var resetLogin: String
    public var resetProblem: ResetProblem?
    /// The new password was set: say so above the sign-in form.
    public var passwordChanged: Bool
    public var passwordMinimum: Int
    /// The portal path to come back to after signing in (`/connexion?suite=…`), carried by the form.
    public var returnPath: String?

    public init(
        layout: Layout, login: String = "", failed: Bool = false, throttledMinutes: Int? = nil, resetLogin: String = "",
        resetProblem: ResetProblem? = nil, passwordChanged: Bool = false, passwordMinimum: Int = 10
    ) {
        self.layout = layout
        self.login = login
        self.failed = failed
        self.throttledMinutes = throttledMinutes
        self.resetLogin = resetLogin
        self.resetProblem = resetProblem
        self.passwordChanged = passwordChanged
        self.passwordMinimum = passwordMinimum
    }

    struct View {
        let action: String
        let resetAction: String
        let login: String
        let problem: String?
        let changed: Bool
        let resetLogin: String
        let resetProblem: String?
        let minimum: Int
        let passwordHelp: String
    }

    public func view(in language: Language) -> PageView {
        let t = SignInTexts.pick(language)
        let problem = throttledMinutes.map { t.throttled($0) } ?? (failed ? t.failed : nil)
        let reset: String? = resetProblem.map {
            switch $0 {
            case .invalidCode: return t.invalidCode
            case .passwordTooShort(let minimum): return t.tooShort(minimum)
            case .passwordsDiffer: return t.differ
            }
        }
        return PageView(
            title: t.title, texts: t,
            data: View(
                action: URLs.localized(returnPath.flatMap(Self.signInAction(returningTo:)) ?? PortalPaths.signIn, language), resetAction: URLs.localized(PortalPaths.newPassword, language),
                login: login, problem: problem, changed: passwordChanged, resetLogin: resetLogin, resetProblem: reset,
                minimum: passwordMinimum, passwordHelp: t.passwordHelp(passwordMinimum)))
    }
}

struct SignInTexts: Sendable {
    let title: String
    let login: String
    let password: String
    let submit: String
    let failed: String
    let throttled: @Sendable (Int) -> String
    let changed: String
    let forgotten: String
    let resetTitle: String
    let resetIntro: String
    let code: String
    let newPassword: String
    let confirm: String
    let passwordHelp: @Sendable (Int) -> String
    let resetSubmit: String
    let invalidCode: String
    let tooShort: @Sendable (Int) -> String
    let differ: String

    static let fr = SignInTexts(
        title: "Connexion", login: "Identifiant", password: "Mot de passe", submit: "Se connecter",
        failed: "Identifiant ou mot de passe incorrect.",
        throttled: { "Trop de tentatives de connexion. Réessayez dans \(minutesFR($0))." },
        changed: "Votre mot de passe est enregistré. Connectez-vous avec lui.",
        forgotten: "Mot de passe oublié ? Demandez un code à l'administrateur de l'établissement.",
        resetTitle: "Nouveau mot de passe", resetIntro: "Avec le code à usage unique donné par l'administrateur.",
        code: "Code donné par l'administrateur", newPassword: "Nouveau mot de passe", confirm: "Nouveau mot de passe, une deuxième fois",
        passwordHelp: { "Au moins \($0) caractères." }, resetSubmit: "Enregistrer le mot de passe",
        invalidCode: "Identifiant ou code incorrect, ou code expiré. Demandez un nouveau code à l'administrateur.",
        tooShort: { "Le mot de passe doit faire au moins \($0) caractères." },
        differ: "Les deux mots de passe ne sont pas identiques.")
    static let en = SignInTexts(
        title: "Sign in", login: "Login", password: "Password", submit: "Sign in",
        failed: "Wrong login or password.",
        throttled: { "Too many sign-in attempts. Try again in \(minutesEN($0))." },
        changed: "Your password is saved. Sign in with it.",
        forgotten: "Forgotten your password? Ask the school's administrator for a code.",
        resetTitle: "New password", resetIntro: "With the one-time code the administrator gave you.",
        code: "Code from the administrator", newPassword: "New password", confirm: "New password, once more",
        passwordHelp: { "At least \($0) characters." }, resetSubmit: "Save the password",
        invalidCode: "Wrong login or code, or the code has expired. Ask the administrator for a new code.",
        tooShort: { "The password must have at least \($0) characters." },
        differ: "The two passwords are not the same.")
    static func pick(_ l: Language) -> SignInTexts { l == .fr ? fr : en }
}

/// The first visit to `/admin` while no admin exists: the setup code `relais init` printed, the
/// admin's names and password.
public struct AdminSetupPage: PageModel {
    public enum Problem: Sendable, Equatable {
        case invalidCode
        case missingLastName
        case missingFirstName
        case passwordTooShort(minimum: Int)
        case passwordsDiffer
    }

    public static let templateName = "adminSetup"
    public var layout: Layout
    public var lastName: String
    public var firstName: String
    public var problems: [Problem]
    public var passwordMinimum: Int

    public init(layout: Layout, lastName: String = "", firstName: String = "", problems: [Problem] = [], passwordMinimum: Int = 10) {
        self.layout = layout
        self.lastName = lastName
        self.firstName = firstName
        self.problems = problems
        self.passwordMinimum = passwordMinimum
    }

    struct View {
        let action: String
        let lastName: String
        let firstName: String
        let problems: [String]
        let hasProblems: Bool
        let minimum: Int
        let passwordHelp: String
    }

    public func view(in language: Language) -> PageView {
        let t = SetupTexts.pick(language)
        let s = SignInTexts.pick(language)
        let problems = self.problems.map { problem -> String in
            switch problem {
            case .invalidCode: return t.invalidCode
            case .missingLastName: return t.missingLastName
            case .missingFirstName: return t.missingFirstName
            case .passwordTooShort(let minimum): return s.tooShort(minimum)
            case .passwordsDiffer: return s.differ
            }
        }
        return PageView(
            title: t.title, texts: t,
            data: View(
                action: URLs.localized(PortalPaths.adminSetup, language), lastName: lastName, firstName: firstName, problems: problems,
                hasProblems: !problems.isEmpty, minimum: passwordMinimum, passwordHelp: s.passwordHelp(passwordMinimum)))
    }
}

struct SetupTexts: Sendable {
    let title: String
    let intro: String
    let problemsTitle: String
    let code: String
    let codeHelp: String
    let lastName: String
    let firstName: String
    let password: String
    let confirm: String
    let submit: String
    let invalidCode: String
    let missingLastName: String
    let missingFirstName: String

    static let fr = SetupTexts(
        title: "Première connexion : créer le compte administrateur",
        intro: "Aucun administrateur n'existe encore sur cette box. Créez son compte avec le code d'installation.",
        problemsTitle: "Le compte n'a pas été créé :", code: "Code d'installation",
        codeHelp: "Le code à usage unique affiché par « relais init » lors de l'installation de la box.",
        lastName: "Nom", firstName: "Prénom", password: "Mot de passe", confirm: "Mot de passe, une deuxième fois",
        submit: "Créer le compte administrateur", invalidCode: "Le code d'installation est incorrect ou a déjà servi.",
        missingLastName: "Indiquez le nom.", missingFirstName: "Indiquez le prénom.")
    static let en = SetupTexts(
        title: "First visit: create the administrator account",
        intro: "No administrator exists on this box yet. Create their account with the setup code.",
        problemsTitle: "The account was not created:", code: "Setup code",
        codeHelp: "The one-time code “relais init” printed when the box was installed.",
        lastName: "Last name", firstName: "First name", password: "Password", confirm: "Password, once more",
        submit: "Create the administrator account", invalidCode: "The setup code is wrong or was already used.",
        missingLastName: "Give the last name.", missingFirstName: "Give the first name.")
    static func pick(_ l: Language) -> SetupTexts { l == .fr ? fr : en }
}
