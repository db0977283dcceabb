import RelaisCore
import Testing

/// A class of 25 as a French school's spreadsheet has it.
enum ClassFile {
    static let firstNames = [
        "Léa", "Noé", "Zoé", "Chloé", "Anaïs", "Maël", "Inès", "Jérôme", "Éloïse", "Gaël", "Hélène", "Loïc", "Noël",
        "Raphaël", "Ambre", "Jade", "Louise", "Hugo", "Arthur", "Lina", "Adèle", "Théo", "Célia", "Mathéo", "Bérénice",
    ]
    static let lastNames = [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
        "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Œuvrard", "Mercier",
    ]

    /// `Prénom;Nom;Classe` with full last names (only the initial must be kept).
    static func text(className: String = "CM2 B", newline: String = "\r\n") -> String {
        var lines = ["Prénom;Nom;Classe"]
        for (first, last) in zip(firstNames, lastNames) { lines.append("\(first);\(last);\(className)") }
        return lines.joined(separator: newline) + newline
    }
}

struct PeopleImportTests {
    @Test func aFrenchExcelFileOf25PupilsParsesInEveryEncoding() throws {
        for bytes in [windows1252(ClassFile.text()), [0xEF, 0xBB, 0xBF] + Array(ClassFile.text().utf8), Array(ClassFile.text(newline: "\n").utf8)] {
            let rows = try PupilImportRow.parse(bytes).get()
            #expect(rows.count == 25)
            #expect(rows[0] == PupilImportRow(line: 2, firstName: "Léa", lastInitial: "M", className: "CM2 B"))
            #expect(rows[23].firstName == "Mathéo" && rows[23].lastInitial == "Œ")
            #expect(rows[22].firstName == "Célia" && rows[22].lastInitial == "A")
            // Only the initial is kept: no full last name anywhere in the rows.
            #expect(!rows.contains { "\($0)".contains("Bernard") })
        }
    }

    @Test func headersMatchWhateverTheirCaseAccentsSpacesAndOrder() throws {
        let text = "Classe , Remarque,  INITIALE DU NOM ,prenom\n6e A,x,d,Jean-Pierre\n"
        let rows = try PupilImportRow.parse(Array(text.utf8)).get()
        #expect(rows == [PupilImportRow(line: 2, firstName: "Jean-Pierre", lastInitial: "D", className: "6e A")])
    }

    @Test func aMissingColumnIsNamed() {
        guard case .failure(let problems) = PupilImportRow.parse(Array("prénom;classe\nLéa;CM1\n".utf8)) else {
            Issue.record("accepted a file without initials")
            return
        }
        #expect(problems.count == 1)
        #expect(problems[0].line == 1 && problems[0].column == "initiale du nom")
        #expect(problems[0].french.contains("manque"))
    }

    @Test func everyBadRowIsReportedWithLineAndColumnAndNothingIsReturned() {
        let text = "prénom;initiale;classe\r\nLéa;M;CM1\r\n;B;CM1\r\nTom;3;CM1\r\n\(String(repeating: "x", count: 61));C;CM1\r\nLéa;M;CM1\r\n"
        guard case .failure(let problems) = PupilImportRow.parse(Array(text.utf8)) else {
            Issue.record("accepted bad rows")
            return
        }
        #expect(problems.map(\.line) == [3, 4, 5, 6])
        #expect(problems.map(\.column) == ["prénom", "initiale", "prénom", nil])
        #expect(problems[0].description.hasPrefix("ligne 3, colonne « prénom » : la case est vide"))
        #expect(problems[0].description.contains("line 3, column “prénom”: the cell is empty"))
        #expect(problems[3].french.contains("répète la ligne 2"))
    }

    @Test func controlCharactersAndTooManyRowsAreRefused() {
        let control = "prénom;initiale;classe\n\"Lé\na\";M;CM1\nA\u{7}b;M;CM1\n"
        guard case .failure(let problems) = PupilImportRow.parse(Array(control.utf8)) else {
            Issue.record("accepted control characters")
            return
        }
        #expect(problems.map(\.line) == [2, 4])
        let many = "prénom;initiale;classe\n" + (0...PeopleImport.maxRows).map { "P\($0);M;CM1\n" }.joined()
        guard case .failure(let tooMany) = PupilImportRow.parse(Array(many.utf8)) else {
            Issue.record("accepted 2001 rows")
            return
        }
        #expect(tooMany.count == 1 && tooMany[0].line == nil && tooMany[0].french.contains("2001 lignes"))
    }

    @Test func staffRolesAreReadAsSchoolsWriteThem() throws {
        let text = """
            NOM;Prénom;Rôle;E-mail;Téléphone
            Diallo;Aïssata;Enseignant(e);a.diallo@ac-paris.fr;0102
            Robert;Marc;administrateur;;
            Kone;Ada;DIRECTION;;
            Petit;Léon;enseignante;;

            """
        let rows = try StaffImportRow.parse(Array(text.utf8)).get()
        #expect(rows.map(\.role) == [.enseignant, .admin, .admin, .enseignant])
        #expect(rows[0].email == "a.diallo@ac-paris.fr" && rows[1].email == nil)
        #expect(rows[0].firstName == "Aïssata")
    }

    @Test func aStaffRowWithAnUnknownRoleOrBadEmailNamesTheColumn() {
        let text = "nom;prénom;rôle;email\nDiallo;Ada;cantinière;ada@\n"
        guard case .failure(let problems) = StaffImportRow.parse(Array(text.utf8)) else {
            Issue.record("accepted an unknown role")
            return
        }
        #expect(problems.map(\.column) == ["rôle", "email"])
        #expect(problems.allSatisfy { $0.line == 2 })
        #expect(problems[0].french.contains("« cantinière » n'est pas un rôle connu"))
    }

    @Test func loginsAreFoldedFirstDotLast() {
        #expect(PeopleText.loginBase(firstName: "Anne-Marie", lastName: "N'Diaye") == "annemarie.ndiaye")
        #expect(PeopleText.loginBase(firstName: "Zoé", lastName: "Lœuvre") == "zoe.loeuvre")
        #expect(PeopleText.loginBase(firstName: "李", lastName: "王") == "personne")
        #expect(PeopleText.initial("élodie") == "E")
        #expect(PeopleText.initial("3x") == nil)
    }
}

extension PeopleImportTests {
    @Test func anOndeLikeExportKeepsOnlyWhatIsNeeded() throws {
        // Both "Nom" and "Nom d'usage", a date of birth: the initial comes from "Nom", the rest is ignored.
        let text = "Nom élève;Nom d'usage élève;Prénom élève;Prénom 2;Date naissance;Classe\r\nMartin;Durand;Léa;Marie;01/02/2015;CM2 B\r\n"
        let rows = try PupilImportRow.parse(windows1252(text)).get()
        #expect(rows == [PupilImportRow(line: 2, firstName: "Léa", lastInitial: "M", className: "CM2 B")])
        let withInitial = "Nom;Initiale;Prénom;Classe\nMartin;D;Léa;CM1\n"
        #expect(try PupilImportRow.parse(Array(withInitial.utf8)).get().first?.lastInitial == "D")
        guard case .failure(let problems) = PupilImportRow.parse(Array("Prénom;Prénoms;Initiale;Classe\nA;B;C;D\n".utf8)) else {
            Issue.record("accepted two first-name columns")
            return
        }
        #expect(problems.first?.column == "Prénoms")
    }

    @Test func invisibleCharactersInNamesAreRefused() {
        for name in ["Lé\u{202E}a", "Lé\u{200B}a", "\u{FEFF}Léa"] {
            #expect(PeopleText.name(name) == .failure(.controlCharacter), "\(name.unicodeScalars.map(\.value))")
        }
        #expect(PeopleText.name("  Jean   Pierre ") == .success("Jean Pierre"))
    }
}

struct SchoolLevelTests {
    @Test func levelsAndCyclesAreReadFromClassNames() {
        let cases: [(String, String?, String?)] = [
            ("CM2 B", "CM2", "cycle3"), ("cm1", "CM1", "cycle3"), ("CE1-CE2", "CE1", "cycle2"), ("CP", "CP", "cycle2"),
            ("GS Les Lutins", "GS", "cycle1"), ("6e A", "6e", "cycle3"), ("6ème 2", "6e", "cycle3"), ("5B", "5e", "cycle4"),
            ("3e", "3e", "cycle4"), ("2nde 4", "2de", "lycee"), ("Tle G1", "Tle", "lycee"), ("Première STMG", "1re", "lycee"),
            ("CM2-6e", "CM2", "cycle3"), ("GS-CP", "GS-CP", ""), ("Les Dauphins", nil, nil), ("ULIS", nil, nil), ("12", nil, nil),
        ]
        for (name, level, cycle) in cases {
            let guess = SchoolLevel.guess(fromClassName: name)
            #expect(guess?.level == level && guess?.cycle == cycle, "\(name): \(String(describing: guess))")
        }
    }
}
