import Foundation

/// A staff member's role on the portal (portal.md, "Roles"). Substitutes have no account and
/// pupils are not staff.
public enum StaffRole: String, Sendable, Codable, CaseIterable {
    case admin
    case enseignant

    /// The role a spreadsheet cell names, compared without regard to case, accents, spaces or
    /// punctuation: "Enseignant", "enseignante", "Enseignant(e)", "professeur(e)" → enseignant;
    /// "admin", "Administrateur", "administratrice", "Direction", "directeur/directrice" → admin.
    public init?(spreadsheetCell text: String) {
        switch PeopleText.key(text) {
        case "enseignant", "enseignante", "enseignants", "enseignantes", "professeur", "professeure", "prof":
            self = .enseignant
        case "admin", "administrateur", "administratrice", "administration", "direction", "directeur", "directrice":
            self = .admin
        default:
            return nil
        }
    }
}

/// Text rules shared by the import, the forms and the store.
public enum PeopleText {
    /// Longest name (first name, last name, class name), in characters.
    public static let maxNameLength = 60

    /// Lowercase, accents and ligatures folded, only letters and digits kept: how headers, roles
    /// and names are compared ("Prénom" = "prenom", "Initiale du nom" = "initialedunom").
    public static func key(_ text: String) -> String {
        String(folded(text).unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.map(Character.init))
    }

    /// Lowercase with accents and ligatures folded (œ → oe, æ → ae, ß → ss); other characters kept.
    public static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "fr_FR"))
            .replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "æ", with: "ae").replacingOccurrences(of: "ß", with: "ss")
    }

    /// A name as typed, trimmed and with inner runs of white space collapsed; or why it is refused
    /// (empty, more than 60 characters, a control character).
    public static func name(_ text: String) -> Result<String, NameProblem> {
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r" })
            || text.contains(where: \.isNewline)
        {
            return .failure(.controlCharacter)
        }
        let name = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        if name.isEmpty { return .failure(.empty) }
        if name.count > maxNameLength { return .failure(.tooLong) }
        // Invisible characters too: bidirectional overrides, zero-width spaces, a stray BOM
        // (general category Cf), except the joiners some scripts need.
        if name.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control || $0 == "\u{FFFD}"
                || ($0.properties.generalCategory == .format && $0 != "\u{200C}" && $0 != "\u{200D}")
        }) {
            return .failure(.controlCharacter)
        }
        return .success(name)
    }

    public enum NameProblem: Error, Sendable, Equatable { case empty, tooLong, controlCharacter }

    /// The sign-in name generated for a staff member: `prenom.nom`, lowercase, accents folded,
    /// anything but a–z removed ("Anne-Marie N'Diaye" → `annemarie.ndiaye`). The store adds `2`,
    /// `3`… on collision.
    public static func loginBase(firstName: String, lastName: String) -> String {
        func part(_ s: String) -> String {
            String(folded(s).unicodeScalars.filter { ("a"..."z").contains($0) }.map(Character.init))
        }
        let parts = [part(firstName), part(lastName)].filter { !$0.isEmpty }
        return parts.isEmpty ? "personne" : parts.joined(separator: ".")
    }

    /// A login as typed at sign-in or chosen at setup: trimmed and lowercased.
    public static func normalizedLogin(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Whether a chosen login is acceptable: 1–60 of a–z, 0–9, `.`, `-`, `_`.
    public static func isValidLogin(_ login: String) -> Bool {
        !login.isEmpty && login.count <= 60 && login.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0) }
    }

    /// A pupil's initial: the first letter of the text, uppercase, accent folded ("é" → "E",
    /// "Martin" → "M"); nil when the text does not start with a letter.
    public static func initial(_ text: String) -> String? {
        guard let first = text.trimmingCharacters(in: .whitespaces).first, first.isLetter else { return nil }
        let folded = String(first).folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR")).uppercased()
        return folded.count == 1 ? folded : String(first).uppercased()
    }
}

/// One problem of an imported file, in French with an English version: where (line, column as
/// the file's header names it) and what to do.
public struct ImportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based physical line of the file; nil for the file as a whole.
    public let line: Int?
    /// The column, as the header names it (or the expected name when the column is missing).
    public let column: String?
    public let french: String
    public let english: String

    public init(line: Int?, column: String?, french: String, english: String) {
        self.line = line
        self.column = column
        self.french = french
        self.english = english
    }

    public var description: String {
        var frPlace = line.map { "ligne \($0)" } ?? "fichier"
        var enPlace = line.map { "line \($0)" } ?? "file"
        if let column {
            frPlace += ", colonne « \(column) »"
            enPlace += ", column “\(column)”"
        }
        return "\(frPlace) : \(french) / \(enPlace): \(english)"
    }
}

/// Every problem of a file (at least one), in file order: a collection of `ImportProblem`.
public struct ImportProblems: Error, Sendable, Equatable, RandomAccessCollection, CustomStringConvertible {
    public let problems: [ImportProblem]

    public init(_ problems: [ImportProblem]) { self.problems = problems }

    public var startIndex: Int { problems.startIndex }
    public var endIndex: Int { problems.endIndex }
    public subscript(position: Int) -> ImportProblem { problems[position] }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// One row of a staff file: `nom`, `prénom`, `rôle`, `email` (optional).
public struct StaffImportRow: Sendable, Equatable {
    public let line: Int
    public let lastName: String
    public let firstName: String
    public let role: StaffRole
    public let email: String?

    public init(line: Int, lastName: String, firstName: String, role: StaffRole, email: String?) {
        self.line = line
        self.lastName = lastName
        self.firstName = firstName
        self.role = role
        self.email = email
    }

    /// How a staff member is recognised on re-import: the email when given, else the names
    /// (folded).
    public var identity: String { Self.identity(lastName: lastName, firstName: firstName, email: email) }

    public static func identity(lastName: String, firstName: String, email: String?) -> String {
        if let email, !email.isEmpty { return "email:" + email.lowercased() }
        return "name:" + PeopleText.key(lastName) + "|" + PeopleText.key(firstName)
    }

    /// Parses a whole staff file: every row, or every problem found (nothing is imported unless
    /// the whole file is valid).
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Result<[StaffImportRow], ImportProblems> {
        PeopleImport.parse(bytes, columns: [.lastName, .firstName, .role, .email]) { line, cells in
            var problems: [ImportProblem] = []
            let last = PeopleImport.name(cells, .lastName, line: line, into: &problems)
            let first = PeopleImport.name(cells, .firstName, line: line, into: &problems)
            var role: StaffRole?
            let roleCell = cells.value(.role)
            if roleCell.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(cells.problem(.role, line: line, "le rôle est vide ; écrivez « enseignant » ou « admin »", "the role is empty; write “enseignant” or “admin”"))
            } else if let parsed = StaffRole(spreadsheetCell: roleCell) {
                role = parsed
            } else {
                problems.append(cells.problem(.role, line: line,
                    "« \(roleCell) » n'est pas un rôle connu ; écrivez « enseignant » ou « admin »",
                    "“\(roleCell)” is not a known role; write “enseignant” or “admin”"))
            }
            var email: String?
            let emailCell = cells.value(.email).trimmingCharacters(in: .whitespaces)
            if !emailCell.isEmpty {
                if PeopleImport.isPlausibleEmail(emailCell) {
                    email = emailCell
                } else {
                    problems.append(cells.problem(.email, line: line,
                        "« \(emailCell) » n'est pas une adresse électronique ; corrigez-la ou laissez la case vide",
                        "“\(emailCell)” is not an email address; correct it or leave the cell empty"))
                }
            }
            guard problems.isEmpty, let last, let first, let role else { return .failure(ImportProblems(problems)) }
            return .success(StaffImportRow(line: line, lastName: last, firstName: first, role: role, email: email))
        } duplicateKey: { $0.identity }
    }
}

/// One row of a pupils file: `prénom`, `initiale` (or `nom`, of which only the first letter is
/// kept: a pupil's full name is never stored), `classe`.
public struct PupilImportRow: Sendable, Equatable {
    public let line: Int
    public let firstName: String
    /// One uppercase letter.
    public let lastInitial: String
    public let className: String

    public init(line: Int, firstName: String, lastInitial: String, className: String) {
        self.line = line
        self.firstName = firstName
        self.lastInitial = lastInitial
        self.className = className
    }

    /// How a pupil is recognised on re-import: class, first name and initial, folded.
    public var identity: String { PeopleImport.pupilIdentity(className: className, firstName: firstName, lastInitial: lastInitial) }

    /// Parses a whole pupils file: every row, or every problem found.
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Result<[PupilImportRow], ImportProblems> {
        PeopleImport.parse(bytes, columns: [.firstName, .initial, .className]) { line, cells in
            var problems: [ImportProblem] = []
            let first = PeopleImport.name(cells, .firstName, line: line, into: &problems)
            let className = PeopleImport.name(cells, .className, line: line, into: &problems)
            let initialCell = cells.value(.initial)
            let initial = PeopleText.initial(initialCell)
            if initial == nil {
                problems.append(cells.problem(.initial, line: line,
                    initialCell.trimmingCharacters(in: .whitespaces).isEmpty
                        ? "l'initiale du nom est vide ; écrivez la première lettre du nom de famille"
                        : "« \(initialCell) » ne commence pas par une lettre ; écrivez la première lettre du nom de famille",
                    initialCell.trimmingCharacters(in: .whitespaces).isEmpty
                        ? "the initial is empty; write the first letter of the last name"
                        : "“\(initialCell)” does not start with a letter; write the first letter of the last name"))
            }
            guard problems.isEmpty, let first, let className, let initial else { return .failure(ImportProblems(problems)) }
            return .success(PupilImportRow(line: line, firstName: first, lastInitial: initial, className: className))
        } duplicateKey: { $0.identity }
    }
}

/// The shared machinery of the two imports: header matching, limits, row problems.
public enum PeopleImport {
    /// Most data rows in one file.
    public static let maxRows = 2_000

    public static func pupilIdentity(className: String, firstName: String, lastInitial: String) -> String {
        PeopleText.key(className) + "|" + PeopleText.key(firstName) + "|" + lastInitial.uppercased()
    }

    enum Column: Sendable, CaseIterable {
        case lastName, firstName, role, email, initial, className

        /// The name used in messages when the column is missing.
        var expected: String {
            switch self {
            case .lastName: "nom"
            case .firstName: "prénom"
            case .role: "rôle"
            case .email: "email"
            case .initial: "initiale du nom"
            case .className: "classe"
            }
        }

        var english: String {
            switch self {
            case .lastName: "last name"
            case .firstName: "first name"
            case .role: "role"
            case .email: "email"
            case .initial: "initial of the last name"
            case .className: "class"
            }
        }

        var required: Bool { self != .email }

        /// Header spellings, as `PeopleText.key` gives them, with their priority: when two
        /// columns match, the higher priority wins ("Initiale" over "Nom", "Nom" over "Nom
        /// d'usage", as ONDE's exports have both); two of the same priority are an error.
        var aliases: [String: Int] {
            switch self {
            case .lastName: ["nom": 2, "nomdefamille": 2, "nomfamille": 2, "lastname": 2, "surname": 2, "nomeleve": 1, "nomdusage": 0, "nomdusageeleve": 0]
            case .firstName: ["prenom": 2, "prenoms": 2, "firstname": 2, "givenname": 2, "prenomeleve": 1, "prenomusuel": 1]
            case .role: ["role": 2, "fonction": 1, "profil": 1, "statut": 1]
            case .email: ["email": 2, "mail": 2, "courriel": 2, "adressemail": 2, "adresseemail": 2, "adressecourriel": 2, "adresseelectronique": 2, "emailaddress": 2]
            case .initial:
                ["initiale": 3, "initialedunom": 3, "initialenom": 3, "initialedenom": 3, "initialedunomdefamille": 3, "initial": 3,
                 "nom": 2, "nomdefamille": 2, "nomfamille": 2, "lastname": 2, "nomeleve": 1, "nomdusage": 0, "nomdusageeleve": 0]
            case .className: ["classe": 2, "class": 2, "division": 1, "groupe": 1, "classeeleve": 1]
            }
        }
    }

    /// The cells of one row, by column, with the header's own spelling for messages.
    struct Cells {
        let values: [Column: String]
        let headers: [Column: String]

        func value(_ column: Column) -> String { values[column] ?? "" }

        func problem(_ column: Column, line: Int, _ french: String, _ english: String) -> ImportProblem {
            ImportProblem(line: line, column: headers[column] ?? column.expected, french: french, english: english)
        }
    }

    static func name(_ cells: Cells, _ column: Column, line: Int, into problems: inout [ImportProblem]) -> String? {
        switch PeopleText.name(cells.value(column)) {
        case .success(let name): return name
        case .failure(.empty):
            problems.append(cells.problem(column, line: line, "la case est vide ; écrivez le \(column.expected) ou retirez la ligne", "the cell is empty; write the \(column.english) or remove the row"))
        case .failure(.tooLong):
            problems.append(cells.problem(column, line: line, "plus de \(PeopleText.maxNameLength) caractères ; raccourcissez-le", "more than \(PeopleText.maxNameLength) characters; shorten it"))
        case .failure(.controlCharacter):
            problems.append(cells.problem(column, line: line,
                "la case contient un retour à la ligne ou un caractère invisible ; retapez-la",
                "the cell holds a line break or an invisible character; type it again"))
        }
        return nil
    }

    /// An address with one `@`, a dot in its domain, no spaces: enough to catch a wrong column.
    public static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && text.count <= 254 && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
    }

    static func parse<Bytes: Collection<UInt8>, Row>(
        _ bytes: Bytes, columns: [Column], row make: (Int, Cells) -> Result<Row, ImportProblems>, duplicateKey: (Row) -> String
    ) -> Result<[Row], ImportProblems> {
        let table: CSVTable
        do { table = try CSVTable(bytes: bytes) } catch {
            return .failure(ImportProblems([ImportProblem(line: error.line, column: nil, french: error.french, english: error.english)]))
        }
        guard let header = table.header else {
            return .failure(ImportProblems([ImportProblem(line: nil, column: nil, french: "le fichier est vide ; exportez le tableau en CSV avec sa ligne d'en-têtes", english: "the file is empty; export the sheet as CSV with its header row")]))
        }
        // Which field holds which column. "nom" names the last name for staff, the initial for pupils.
        // Extra columns (date of birth, address…) are ignored: never read, never stored.
        var positions: [Column: Int] = [:]
        var headers: [Column: String] = [:]
        var priorities: [Column: Int] = [:]
        var ties: [Column: String] = [:]
        for (index, title) in header.fields.enumerated() {
            let key = PeopleText.key(title)
            guard let column = columns.first(where: { $0.aliases[key] != nil }), let priority = column.aliases[key] else { continue }
            let shown = title.trimmingCharacters(in: .whitespaces)
            if let current = priorities[column], current >= priority {
                if current == priority { ties[column] = shown }
                continue
            }
            positions[column] = index
            headers[column] = shown
            priorities[column] = priority
            ties[column] = nil
        }
        var problems: [ImportProblem] = []
        for column in columns {
            guard let shown = ties[column] else { continue }
            problems.append(ImportProblem(line: header.line, column: shown,
                french: "deux colonnes donnent le \(column.expected) (« \(headers[column] ?? "") » et « \(shown) ») ; gardez-en une",
                english: "two columns give the \(column.english) (“\(headers[column] ?? "")” and “\(shown)”); keep one"))
        }
        for column in columns where column.required && positions[column] == nil {
            problems.append(ImportProblem(line: header.line, column: column.expected,
                french: "la colonne « \(column.expected) » manque dans la ligne d'en-têtes ; ajoutez-la (en-têtes attendus : \(columns.map(\.expected).joined(separator: ", ")))",
                english: "the “\(column.expected)” column is missing from the header row; add it (expected headers: \(columns.map(\.expected).joined(separator: ", ")))"))
        }
        guard problems.isEmpty else { return .failure(ImportProblems(problems)) }
        let records = table.records
        if records.isEmpty {
            return .failure(ImportProblems([ImportProblem(line: nil, column: nil, french: "le fichier n'a aucune ligne après les en-têtes", english: "the file has no row after its header")]))
        }
        if records.count > maxRows {
            return .failure(ImportProblems([ImportProblem(line: nil, column: nil,
                french: "le fichier a \(records.count) lignes, plus que les \(maxRows) acceptées ; coupez-le en plusieurs fichiers",
                english: "the file has \(records.count) rows, more than the \(maxRows) accepted; split it into several files")]))
        }
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        for record in records {
            var values: [Column: String] = [:]
            for (column, index) in positions { values[column] = index < record.fields.count ? record.fields[index] : "" }
            switch make(record.line, Cells(values: values, headers: headers)) {
            case .failure(let found): problems += found.problems
            case .success(let row):
                let key = duplicateKey(row)
                if let first = seen[key] {
                    problems.append(ImportProblem(line: record.line, column: nil,
                        french: "cette ligne répète la ligne \(first) ; retirez l'une des deux",
                        english: "this row repeats line \(first); remove one of them"))
                } else {
                    seen[key] = record.line
                    rows.append(row)
                }
            }
        }
        return problems.isEmpty ? .success(rows) : .failure(ImportProblems(problems))
    }
}
