/// A column of the staff or pupils CSV.
public enum CSVColumn: String, Sendable, CaseIterable {
    case nom, prenom, role, email, initiale, classe

    func name(_ l: Language) -> String {
        switch self {
        case .nom: return l.pick("nom", "last name")
        case .prenom: return l.pick("prénom", "first name")
        case .role: return l.pick("rôle", "role")
        case .email: return l.pick("email", "email")
        case .initiale: return l.pick("initiale", "initial")
        case .classe: return l.pick("classe", "class")
        }
    }
}

/// One problem of a CSV file: where (line, column, when known) and what.
public struct ImportProblem: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case empty
        case tooLong(maximum: Int)
        case unknownRole(String)
        case invalidEmail(String)
        case invalidInitial(String)
        case unknownClass(String)
        case duplicate(ofLine: Int)
        case wrongColumnCount(expected: Int, found: Int)
        case unreadable
        case noRows
    }

    public var line: Int?
    public var column: CSVColumn?
    public var kind: Kind

    public init(line: Int?, column: CSVColumn?, kind: Kind) {
        self.line = line
        self.column = column
        self.kind = kind
    }

    /// « Ligne 7, colonne « prénom » : la valeur est vide. »
    func text(_ l: Language) -> String {
        var place = ""
        switch (line, column) {
        case (let line?, let column?): place = l.pick("Ligne \(line), colonne « \(column.name(l)) » : ", "Line \(line), column “\(column.name(l))”: ")
        case (let line?, nil): place = l.pick("Ligne \(line) : ", "Line \(line): ")
        case (nil, let column?): place = l.pick("Colonne « \(column.name(l)) » : ", "Column “\(column.name(l))”: ")
        case (nil, nil): break
        }
        let what: String
        switch kind {
        case .empty: what = l.pick("la valeur est vide.", "the value is empty.")
        case .tooLong(let maximum): what = l.pick("plus de \(maximum) caractères.", "more than \(maximum) characters.")
        case .unknownRole(let value): what = l.pick("« \(value) » n'est pas un rôle (admin ou enseignant).", "“\(value)” is not a role (admin or enseignant).")
        case .invalidEmail(let value): what = l.pick("« \(value) » n'est pas une adresse e-mail.", "“\(value)” is not an email address.")
        case .invalidInitial(let value): what = l.pick("« \(value) » n'est pas une initiale (une seule lettre).", "“\(value)” is not an initial (one letter).")
        case .unknownClass(let value): what = l.pick("la classe « \(value) » n'existe pas.", "there is no class “\(value)”.")
        case .duplicate(let other): what = l.pick("la même personne qu'à la ligne \(other).", "the same person as on line \(other).")
        case .wrongColumnCount(let expected, let found):
            what = l.pick("\(found) colonnes au lieu de \(expected).", "\(found) columns instead of \(expected).")
        case .unreadable: what = l.pick("le fichier n'est pas un CSV lisible (UTF-8 ou Windows-1252).", "the file is not a readable CSV (UTF-8 or Windows-1252).")
        case .noRows: what = l.pick("le fichier ne contient aucune ligne.", "the file has no row.")
        }
        return place + what
    }
}

/// The CSV import's preview: the rows and what each will do, or every problem; the import is
/// confirmed (a POST carrying the server's opaque token) only when there is no problem.
public struct ImportPreviewPage: PageModel {
    public enum Kind: Sendable {
        case staff
        case pupils(className: String)

        var columns: [CSVColumn] {
            switch self {
            case .staff: return [.nom, .prenom, .role, .email]
            case .pupils: return [.prenom, .initiale, .classe]
            }
        }
    }

    /// One row of the file: its line number, its cells in the kind's column order, and whether it
    /// is already on the box.
    public struct Row: Sendable {
        public var line: Int
        public var cells: [String]
        public var existing: Bool

        public init(line: Int, cells: [String], existing: Bool) {
            self.line = line
            self.cells = cells
            self.existing = existing
        }
    }

    public static let templateName = "importPreview"
    public var layout: Layout
    public var kind: Kind
    public var fileName: String
    public var rows: [Row]
    public var problems: [ImportProblem]
    /// The server's opaque token naming this checked file.
    public var token: String
    public var cancelURL: String

    public init(layout: Layout, kind: Kind, fileName: String, rows: [Row], problems: [ImportProblem], token: String, cancelURL: String = PortalPaths.admin) {
        self.layout = layout
        self.kind = kind
        self.fileName = fileName
        self.rows = rows
        self.problems = problems
        self.token = token
        self.cancelURL = cancelURL
    }

    struct RowView {
        let line: Int
        let cells: [String]
        let status: String
        let existing: Bool
    }

    struct View {
        let heading: String
        let fileName: String
        let columns: [String]
        let rows: [RowView]
        let summary: String
        let problems: [String]
        let hasProblems: Bool
        let canConfirm: Bool
        let confirmAction: String
        let token: String
        let cancelURL: String
    }

    public func view(in language: Language) -> PageView {
        let l = language
        let t = ImportTexts.pick(l)
        let width = kind.columns.count
        let rowViews = rows.map { row in
            RowView(
                line: row.line, cells: Array((row.cells + Array(repeating: "", count: width)).prefix(width)),
                status: row.existing ? t.existing : t.new, existing: row.existing)
        }
        let existing = rows.filter(\.existing).count
        let heading: String
        switch kind {
        case .staff: heading = t.staffTitle
        case .pupils(let className): heading = t.pupilsTitle(className)
        }
        let view = View(
            heading: heading, fileName: fileName, columns: kind.columns.map { $0.name(l) }, rows: problems.isEmpty ? rowViews : [],
            summary: t.summary(rows.count, rows.count - existing, existing), problems: problems.map { $0.text(l) },
            hasProblems: !problems.isEmpty, canConfirm: problems.isEmpty && !rows.isEmpty,
            confirmAction: URLs.localized(PortalPaths.importConfirm, l), token: token, cancelURL: URLs.localized(cancelURL, l))
        return PageView(title: heading, texts: t, data: view)
    }
}

struct ImportTexts: Sendable {
    let staffTitle: String
    let pupilsTitle: @Sendable (String) -> String
    let file: String
    let problemsTitle: String
    let problemsHelp: String
    let line: String
    let status: String
    let new: String
    let existing: String
    let summary: @Sendable (Int, Int, Int) -> String
    let confirm: String
    let cancel: String

    static let fr = ImportTexts(
        staffTitle: "Aperçu de l'import des personnels", pupilsTitle: { "Aperçu de l'import des élèves — \($0)" }, file: "Fichier :",
        problemsTitle: "Le fichier n'a pas été importé : corrigez ces lignes puis envoyez-le de nouveau.",
        problemsHelp: "Rien n'est importé tant que le fichier entier n'est pas valide.", line: "Ligne", status: "État",
        new: "nouveau", existing: "déjà présent",
        summary: { total, new, existing in "\(total) ligne\(total > 1 ? "s" : "") : \(new) nouvelle\(new > 1 ? "s" : ""), \(existing) déjà présente\(existing > 1 ? "s" : "")." },
        confirm: "Confirmer l'import", cancel: "Annuler")
    static let en = ImportTexts(
        staffTitle: "Staff import preview", pupilsTitle: { "Pupils import preview — \($0)" }, file: "File:",
        problemsTitle: "The file was not imported: correct these lines, then send it again.",
        problemsHelp: "Nothing is imported until the whole file is valid.", line: "Line", status: "Status",
        new: "new", existing: "already there",
        summary: { total, new, existing in "\(total) row\(total == 1 ? "" : "s"): \(new) new, \(existing) already there." },
        confirm: "Confirm the import", cancel: "Cancel")
    static func pick(_ l: Language) -> ImportTexts { l == .fr ? fr : en }
}
