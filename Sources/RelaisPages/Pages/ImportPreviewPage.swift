/// A column of the staff or pupils CSV, as the preview's table heads it.
enum CSVColumn: String, CaseIterable {
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

    /// One problem of the file: where (line, column as the file's header names it; nil for the file
    /// as a whole) and what, in French and English (the shape of the people layer's `ImportProblem`).
    public struct Problem: Sendable, Equatable {
        public var line: Int?
        public var column: String?
        public var french: String
        public var english: String

        public init(line: Int?, column: String?, french: String, english: String) {
            self.line = line
            self.column = column
            self.french = french
            self.english = english
        }

        /// « Ligne 7, colonne « prénom » : la valeur est vide. »
        func text(_ l: Language) -> String {
            let place: String
            switch (line, column) {
            case (let line?, let column?): place = l.pick("Ligne \(line), colonne « \(column) » : ", "Line \(line), column “\(column)”: ")
            case (let line?, nil): place = l.pick("Ligne \(line) : ", "Line \(line): ")
            case (nil, let column?): place = l.pick("Colonne « \(column) » : ", "Column “\(column)”: ")
            case (nil, nil): place = ""
            }
            return place + l.pick(french, english)
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
    public var problems: [Problem]
    /// The server's opaque token naming this checked file.
    public var token: String
    public var cancelURL: String

    public init(layout: Layout, kind: Kind, fileName: String, rows: [Row], problems: [Problem], token: String, cancelURL: String = PortalPaths.admin) {
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
