import RelaisCore

/// A staff account as the admin's table shows it.
public struct StaffMember: Sendable {
    public var id: String
    public var lastName: String
    public var firstName: String
    public var login: String
    public var role: Layout.Role
    public var email: String?
    public var active: Bool

    public init(id: String, lastName: String, firstName: String, login: String, role: Layout.Role, email: String? = nil, active: Bool = true) {
        self.id = id
        self.lastName = lastName
        self.firstName = firstName
        self.login = login
        self.role = role
        self.email = email
        self.active = active
    }
}

/// A class: its name, level (« CM2 »), cycle, teachers' names and number of pupils.
public struct ClassSummary: Sendable {
    public var id: String
    public var name: String
    public var level: String
    public var cycle: BundleManifest.Level?
    public var teachers: [String]
    public var pupilCount: Int

    public init(id: String, name: String, level: String, cycle: BundleManifest.Level? = nil, teachers: [String] = [], pupilCount: Int = 0) {
        self.id = id
        self.name = name
        self.level = level
        self.cycle = cycle
        self.teachers = teachers
        self.pupilCount = pupilCount
    }
}

/// A pupil: first name and the initial of the last name, nothing more.
public struct ClassPupil: Sendable {
    public var id: String
    public var firstName: String
    public var initial: String

    public init(id: String, firstName: String, initial: String) {
        self.id = id
        self.firstName = firstName
        self.initial = initial
    }
}

/// A teacher the add-class form offers.
public struct TeacherChoice: Sendable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// What the admin's last action did, said once above the page (after a 303).
public enum AdminNotice: Sendable, Equatable {
    case staffAdded(name: String)
    case staffDisabled(name: String)
    case classAdded(name: String)
    case classDeleted(name: String)
    case pupilAdded(name: String)
    case pupilRemoved(name: String)
    case imported(count: Int)
    case nothingToImport

    func text(_ l: Language) -> String {
        switch self {
        case .staffAdded(let name): return l.pick("Compte créé : \(name).", "Account created: \(name).")
        case .staffDisabled(let name): return l.pick("Compte désactivé : \(name).", "Account disabled: \(name).")
        case .classAdded(let name): return l.pick("Classe créée : \(name).", "Class created: \(name).")
        case .classDeleted(let name): return l.pick("Classe supprimée, avec les données de ses élèves : \(name).", "Class deleted, with its pupils' data: \(name).")
        case .pupilAdded(let name): return l.pick("Élève ajouté : \(name).", "Pupil added: \(name).")
        case .pupilRemoved(let name): return l.pick("Élève retiré, avec ses données : \(name).", "Pupil removed, with their data: \(name).")
        case .imported(let count):
            return l.pick(count <= 1 ? "\(count) ligne importée." : "\(count) lignes importées.", count == 1 ? "1 row imported." : "\(count) rows imported.")
        case .nothingToImport: return l.pick("Rien à importer : tout était déjà présent.", "Nothing to import: everything was already there.")
        }
    }
}

/// A problem with one field of an admin form.
public enum FieldProblem: Sendable, Equatable {
    case missingLastName
    case missingFirstName
    case missingName
    case missingLevel
    case invalidEmail
    case invalidInitial
    case alreadyExists
    case noFile

    func text(_ l: Language) -> String {
        switch self {
        case .missingLastName: return l.pick("Indiquez le nom.", "Give the last name.")
        case .missingFirstName: return l.pick("Indiquez le prénom.", "Give the first name.")
        case .missingName: return l.pick("Indiquez le nom de la classe.", "Give the class's name.")
        case .missingLevel: return l.pick("Indiquez le niveau.", "Give the level.")
        case .invalidEmail: return l.pick("L'adresse e-mail n'est pas valide.", "The email address is not valid.")
        case .invalidInitial: return l.pick("L'initiale doit être une seule lettre.", "The initial must be one letter.")
        case .alreadyExists: return l.pick("Cette entrée existe déjà.", "This entry already exists.")
        case .noFile: return l.pick("Choisissez un fichier CSV.", "Choose a CSV file.")
        }
    }
}

/// Texts shared by the admin pages.
struct AdminTexts: Sendable {
    let title: String
    let seancesLink: String
    let staffTitle: String
    let name: String
    let lastName: String
    let firstName: String
    let login: String
    let role: String
    let email: String
    let emailHelp: String
    let state: String
    let actions: String
    let active: String
    let disabled: String
    let resetPassword: String
    let disable: String
    let noStaff: String
    let addStaffTitle: String
    let addStaff: String
    let problemsTitle: String
    let importStaffTitle: String
    let csvFile: String
    let staffCSVHelp: String
    let csvFormatHelp: String
    let preview: String
    let classesTitle: String
    let className: String
    let level: String
    let levelHelp: String
    let cycle: String
    let noCycle: String
    let teachers: String
    let pupilCount: String
    let noClasses: String
    let open: String
    let addClassTitle: String
    let addClass: String
    let noTeachers: String

    static let fr = AdminTexts(
        title: "Administration", seancesLink: "Séances de l'établissement (préparer, confier pour un collègue, accès libre, rapports)", staffTitle: "Personnels", name: "Nom", lastName: "Nom", firstName: "Prénom", login: "Identifiant",
        role: "Rôle", email: "E-mail (facultatif)", emailHelp: "Sert seulement à reconnaître la personne ; la box n'envoie aucun message.",
        state: "État", actions: "Actions", active: "Actif", disabled: "Désactivé", resetPassword: "Réinitialiser le mot de passe",
        disable: "Désactiver", noStaff: "Aucun personnel pour l'instant.", addStaffTitle: "Ajouter un personnel",
        addStaff: "Ajouter", problemsTitle: "Rien n'a été enregistré :", importStaffTitle: "Importer des personnels (CSV)",
        csvFile: "Fichier CSV", staffCSVHelp: "Colonnes, dans cet ordre : nom;prénom;rôle;email (rôle : admin ou enseignant ; email facultatif).",
        csvFormatHelp: "Séparateur « ; » ou « , », UTF-8 ou Windows-1252, comme l'exporte un tableur. Un aperçu s'affiche avant tout import.",
        preview: "Voir l'aperçu", classesTitle: "Classes", className: "Nom de la classe", level: "Niveau",
        levelHelp: "Par exemple CP, CE2, CM2, 6e.", cycle: "Cycle", noCycle: "Non précisé", teachers: "Enseignants",
        pupilCount: "Élèves", noClasses: "Aucune classe pour l'instant.", open: "Ouvrir", addClassTitle: "Ajouter une classe",
        addClass: "Créer la classe", noTeachers: "Aucun enseignant n'a encore de compte.")
    static let en = AdminTexts(
        title: "Administration", seancesLink: "The school's sessions (prepare, hand over for a colleague, open access, reports)", staffTitle: "Staff", name: "Name", lastName: "Last name", firstName: "First name", login: "Login",
        role: "Role", email: "Email (optional)", emailHelp: "Only helps to tell people apart; the box sends no message.",
        state: "State", actions: "Actions", active: "Active", disabled: "Disabled", resetPassword: "Reset the password",
        disable: "Disable", noStaff: "No staff yet.", addStaffTitle: "Add a staff member",
        addStaff: "Add", problemsTitle: "Nothing was saved:", importStaffTitle: "Import staff (CSV)",
        csvFile: "CSV file", staffCSVHelp: "Columns, in this order: nom;prénom;rôle;email (last name, first name, role: admin or enseignant, optional email).",
        csvFormatHelp: "“;” or “,” separated, UTF-8 or Windows-1252, as a spreadsheet exports it. A preview comes before any import.",
        preview: "Preview", classesTitle: "Classes", className: "Class name", level: "Level",
        levelHelp: "For example CP, CE2, CM2, 6e.", cycle: "Cycle", noCycle: "Not given", teachers: "Teachers",
        pupilCount: "Pupils", noClasses: "No class yet.", open: "Open", addClassTitle: "Add a class",
        addClass: "Create the class", noTeachers: "No teacher has an account yet.")
    static func pick(_ l: Language) -> AdminTexts { l == .fr ? fr : en }
}

struct Choice {
    let value: String
    let name: String
    let selected: Bool
}

func cycleChoices(_ selected: BundleManifest.Level?, _ l: Language) -> [Choice] {
    BundleManifest.Level.allCases.map { Choice(value: $0.rawValue, name: CardTexts.levelName($0, l), selected: $0 == selected) }
}
