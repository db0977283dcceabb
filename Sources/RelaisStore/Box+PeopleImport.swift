import Foundation
import GRDB
import RelaisCore

/// What an import would do, row by row, before anything is written.
public struct ImportPreview<Row: Sendable>: Sendable {
    public struct Line: Sendable {
        public let row: Row
        /// false: already on the box, the import leaves it as it is.
        public let isNew: Bool
    }

    public let lines: [Line]
    /// Classes a pupils import would create (`createMissingClasses`), as the file spells them.
    public let newClasses: [String]

    public var newCount: Int { lines.filter(\.isNew).count }
    public var alreadyThereCount: Int { lines.count - newCount }
}

/// What an applied import wrote.
public struct StaffImportResult: Sendable, Equatable {
    /// The accounts created, with their generated logins (shown to the admin; no password yet).
    public let created: [Person]
    public let alreadyThere: Int
}

public struct PupilImportResult: Sendable, Equatable {
    public let created: [Pupil]
    public let alreadyThere: Int
    public let classesCreated: [SchoolClass]
}

extension Box {
    // MARK: staff

    /// Reads a staff file (`nom`, `prénom`, `rôle`, `email`) and says per row whether it is new
    /// or already there (same email, or same names when there is no email). Writes nothing.
    public func previewStaffImport(_ bytes: some Collection<UInt8>) throws -> Result<ImportPreview<StaffImportRow>, ImportProblems> {
        switch StaffImportRow.parse(bytes) {
        case .failure(let problems): return .failure(problems)
        case .success(let rows):
            return .success(try database.read { db in
                let known = try Self.staffIdentities(db)
                return ImportPreview(lines: rows.map { .init(row: $0, isNew: !known.contains($0.identity)) }, newClasses: [])
            })
        }
    }

    /// Creates the new staff of a file in one transaction; nothing when any row is invalid.
    /// Re-importing the same file creates nothing.
    public func applyStaffImport(_ bytes: some Collection<UInt8>, by personId: String? = nil, now: Date = Date()) throws -> Result<StaffImportResult, ImportProblems> {
        let rows: [StaffImportRow]
        switch StaffImportRow.parse(bytes) {
        case .failure(let problems): return .failure(problems)
        case .success(let parsed): rows = parsed
        }
        let seconds = PeopleCheck.seconds(now)
        return .success(try database.write { db in
            let known = try Self.staffIdentities(db)
            var created: [Person] = []
            for row in rows where !known.contains(row.identity) {
                created.append(try Self.insertStaff(db, lastName: row.lastName, firstName: row.firstName, role: row.role, email: row.email, login: nil, now: seconds))
            }
            try Self.audit(db, at: seconds, personId: personId, action: "staff.import", pupilId: nil, classId: nil, detail: "\(created.count) créés, \(rows.count - created.count) déjà là")
            return StaffImportResult(created: created, alreadyThere: rows.count - created.count)
        })
    }

    static func staffIdentities(_ db: Database) throws -> Set<String> {
        var identities = Set<String>()
        for person in try Person.fetchAll(db) {
            identities.insert(StaffImportRow.identity(lastName: person.lastName, firstName: person.firstName, email: nil))
            if let email = person.email { identities.insert(StaffImportRow.identity(lastName: person.lastName, firstName: person.firstName, email: email)) }
        }
        return identities
    }

    // MARK: pupils

    /// Reads a pupils file (`prénom`, `initiale du nom` or `nom`, `classe`) and says per row
    /// whether it is new or already there. A `classe` the box does not know is a row problem
    /// naming its line and column, unless `createMissingClasses` (then listed in `newClasses`).
    public func previewPupilImport(_ bytes: some Collection<UInt8>, createMissingClasses: Bool = false) throws -> Result<ImportPreview<PupilImportRow>, ImportProblems> {
        switch PupilImportRow.parse(bytes) {
        case .failure(let problems): return .failure(problems)
        case .success(let rows):
            return try database.read { db in
                let state = try PupilImportState(db)
                var problems: [ImportProblem] = []
                var newClasses: [String] = []
                var lines: [ImportPreview<PupilImportRow>.Line] = []
                for row in rows {
                    let classKey = PeopleText.key(row.className)
                    if state.classes[classKey] == nil {
                        if !createMissingClasses {
                            problems.append(Self.unknownClass(row, known: state.classNames))
                            continue
                        }
                        if !newClasses.contains(where: { PeopleText.key($0) == classKey }) { newClasses.append(row.className) }
                    }
                    lines.append(.init(row: row, isNew: !state.pupils.contains(row.identity)))
                }
                return problems.isEmpty ? .success(ImportPreview(lines: lines, newClasses: newClasses)) : .failure(ImportProblems(problems))
            }
        }
    }

    /// Creates the new pupils of a file (and, with `createMissingClasses`, their classes, with the
    /// level and cycle their names tell: `SchoolLevel`) in one transaction; nothing when any row is invalid. Re-importing the same file creates nothing.
    public func applyPupilImport(
        _ bytes: some Collection<UInt8>, createMissingClasses: Bool = false, by personId: String? = nil, now: Date = Date()
    ) throws -> Result<PupilImportResult, ImportProblems> {
        let rows: [PupilImportRow]
        switch PupilImportRow.parse(bytes) {
        case .failure(let problems): return .failure(problems)
        case .success(let parsed): rows = parsed
        }
        let seconds = PeopleCheck.seconds(now)
        return try database.write { db in
            let state = try PupilImportState(db)
            var classes = state.classes
            var classesCreated: [SchoolClass] = []
            var problems: [ImportProblem] = []
            for row in rows where classes[PeopleText.key(row.className)] == nil {
                if createMissingClasses {
                    let guess = SchoolLevel.guess(fromClassName: row.className)
                    let made = try Self.insertClass(
                        db, name: row.className, level: guess?.level, cycle: guess.flatMap { SchoolClass.Cycle(rawValue: $0.cycle) }, now: seconds)
                    classes[PeopleText.key(row.className)] = made.id
                    classesCreated.append(made)
                } else {
                    problems.append(Self.unknownClass(row, known: state.classNames))
                }
            }
            guard problems.isEmpty else { return .failure(ImportProblems(problems)) }
            var created: [Pupil] = []
            for row in rows where !state.pupils.contains(row.identity) {
                guard let classId = classes[PeopleText.key(row.className)] else { continue }
                created.append(try Self.insertPupil(db, classId: classId, firstName: row.firstName, lastInitial: row.lastInitial, now: seconds))
            }
            try Self.audit(db, at: seconds, personId: personId, action: "pupils.import", pupilId: nil, classId: nil,
                detail: "\(created.count) créés, \(rows.count - created.count) déjà là, \(classesCreated.count) classes créées")
            return .success(PupilImportResult(created: created, alreadyThere: rows.count - created.count, classesCreated: classesCreated))
        }
    }

    static func unknownClass(_ row: PupilImportRow, known: [String]) -> ImportProblem {
        let list = known.isEmpty ? "aucune classe n'existe encore" : "classes connues : " + known.joined(separator: ", ")
        let listEn = known.isEmpty ? "no class exists yet" : "known classes: " + known.joined(separator: ", ")
        return ImportProblem(line: row.line, column: "classe",
            french: "la classe « \(row.className) » n'existe pas sur le boîtier ; créez-la d'abord ou corrigez le nom (\(list))",
            english: "the class “\(row.className)” does not exist on the box; create it first or correct the name (\(listEn))")
    }
}

/// Classes and pupils as they are before an import: class key → id, pupil identities.
struct PupilImportState {
    var classes: [String: String] = [:]
    var classNames: [String] = []
    var pupils = Set<String>()

    init(_ db: Database) throws {
        var names: [String: String] = [:]
        for schoolClass in try SchoolClass.fetchAll(db) {
            classes[PeopleText.key(schoolClass.name)] = schoolClass.id
            names[schoolClass.id] = schoolClass.name
            classNames.append(schoolClass.name)
        }
        classNames.sort { PeopleCheck.order($0, $1) }
        for row in try Row.fetchAll(db, sql: "SELECT p.classId, l.firstName, p.lastInitial FROM pupil p JOIN learner l ON l.id = p.id") {
            guard let className = names[row[0] as String] else { continue }
            pupils.insert(PeopleImport.pupilIdentity(className: className, firstName: row[1], lastInitial: row[2]))
        }
    }
}
