import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore

/// `relais people`: staff and pupils from the box's console, with the same CSV import as `/admin`
/// (for `scripts/demo` and for schools that prefer a file on a USB stick).
struct PeopleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people", abstract: "Staff, classes and pupils: CSV import and listing.",
        subcommands: [ImportStaff.self, ImportPupils.self, AssignTeacher.self, List.self])

    struct ImportStaff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-staff", abstract: "Import staff from a CSV file: nom, prénom, rôle (enseignant or admin), email (optional).",
            discussion: "A bad row is refused naming its line and column and nothing is imported; importing the same file again changes nothing. New accounts have no password: give each a code with `relais admin reset`.")

        @OptionGroup var options: DataOptions
        @Argument(help: "The CSV file (; , or tab; UTF-8 or Windows-1252).") var file: String
        @Flag(help: "Only say what the import would do.") var dryRun = false

        func run() throws {
            let box = try options.openBox()
            let bytes = try readFile(file)
            if dryRun {
                let preview = try reportProblems(box.previewStaffImport(bytes))
                for line in preview.lines {
                    print("ligne \(line.row.line) : \(line.row.firstName) \(line.row.lastName) (\(line.row.role.rawValue)) — \(line.isNew ? "nouveau / new" : "déjà là / already there")")
                }
                print("\(preview.newCount) à créer / to create, \(preview.alreadyThereCount) déjà là / already there")
                return
            }
            let result = try reportProblems(box.applyStaffImport(bytes))
            for person in result.created { print("\(person.login)\t\(person.firstName) \(person.lastName)\t\(person.role.rawValue)") }
            print("\(result.created.count) comptes créés / accounts created, \(result.alreadyThere) déjà là / already there")
        }
    }

    struct ImportPupils: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-pupils", abstract: "Import pupils from a CSV file: prénom, initiale du nom (or nom: only its first letter is kept), classe.",
            discussion: "A bad row is refused naming its line and column and nothing is imported; importing the same file again changes nothing.")

        @OptionGroup var options: DataOptions
        @Argument(help: "The CSV file (; , or tab; UTF-8 or Windows-1252).") var file: String
        @Flag(help: "Create the classes the file names that the box does not have yet.") var createClasses = false
        @Flag(help: "Only say what the import would do.") var dryRun = false

        func run() throws {
            let box = try options.openBox()
            let bytes = try readFile(file)
            if dryRun {
                let preview = try reportProblems(box.previewPupilImport(bytes, createMissingClasses: createClasses))
                if !preview.newClasses.isEmpty { print("classes à créer / classes to create: \(preview.newClasses.joined(separator: ", "))") }
                print("\(preview.newCount) élèves à créer / pupils to create, \(preview.alreadyThereCount) déjà là / already there")
                return
            }
            let result = try reportProblems(box.applyPupilImport(bytes, createMissingClasses: createClasses))
            for schoolClass in result.classesCreated { print("classe créée / class created: \(schoolClass.name)") }
            print("\(result.created.count) élèves créés / pupils created, \(result.alreadyThere) déjà là / already there")
        }
    }

    struct AssignTeacher: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign-teacher", abstract: "Name a staff member as a teacher of a class (what the class form of /admin does).")

        @OptionGroup var options: DataOptions

        @Option(help: "The staff member's login (relais people list shows them).")
        var login: String

        @Option(name: .customLong("class"), help: "The class's name, as /admin and relais people list show it.")
        var className: String

        func run() throws {
            let box = try options.openBox()
            guard let person = try box.person(login: login) else {
                throw ValidationError("no staff member has the login \(login); relais people list shows the logins")
            }
            guard let schoolClass = try box.classes().first(where: { $0.name.caseInsensitiveCompare(className) == .orderedSame }) else {
                throw ValidationError("no class is named \(className); relais people list shows the classes")
            }
            try box.assignTeacher(classId: schoolClass.id, personId: person.id)
            print("\(person.firstName) \(person.lastName) enseigne en / teaches \(schoolClass.name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff (with logins) and classes (with pupil counts and teachers).")

        @OptionGroup var options: DataOptions

        func run() throws {
            let box = try options.openBox()
            print("Personnel / staff:")
            for person in try box.staff() {
                let state = person.disabled ? "désactivé / disabled" : person.hasPassword ? "" : "sans mot de passe / no password yet"
                print("  \(person.login)\t\(person.firstName) \(person.lastName)\t\(person.role.rawValue)\t\(state)")
            }
            let counts = try box.pupilCounts()
            print("Classes:")
            for schoolClass in try box.classes() {
                let teachers = try box.teachers(ofClass: schoolClass.id).map(\.login).joined(separator: ", ")
                print("  \(schoolClass.name)\t\(schoolClass.level ?? "")\t\(counts[schoolClass.id] ?? 0) élèves / pupils\t\(teachers)")
            }
        }
    }
}

private func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read \(path); give the CSV file exported from the spreadsheet")
    }
    return Array(data)
}

/// The value, or every problem on stderr (one line each, French / English) and exit 1.
private func reportProblems<T>(_ result: Result<T, ImportProblems>) throws -> T {
    switch result {
    case .success(let value): return value
    case .failure(let problems):
        for problem in problems { FileHandle.standardError.write(Data("relais: \(problem)\n".utf8)) }
        FileHandle.standardError.write(Data("relais: rien n'a été importé / nothing was imported\n".utf8))
        throw ExitCode(1)
    }
}
