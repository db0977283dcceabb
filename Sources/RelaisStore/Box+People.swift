import Foundation
import GRDB
import RelaisCore
import RelaisXAPI

/// A staff member with an account on the portal (admin or enseignant).
///
/// Not `Codable` on purpose: the password hash must never end up in a JSON answer or a log; the
/// database mapping is written out below.
public struct Person: Sendable, Equatable, FetchableRecord, PersistableRecord, CustomStringConvertible, CustomDebugStringConvertible {
    public static let databaseTableName = "person"

    /// A UUID in lowercase text.
    public var id: String
    public var role: StaffRole
    public var lastName: String
    public var firstName: String
    public var email: String?
    /// The sign-in name (`prenom.nom`, generated), shown to the admin.
    public var login: String
    /// bcrypt; nil until the person sets a password with a reset code (or at admin setup).
    var passwordHash: String?
    public var disabled: Bool
    public var createdAt: Int64

    /// Whether the person can sign in with a password yet.
    public var hasPassword: Bool { passwordHash != nil }

    init(
        id: String, role: StaffRole, lastName: String, firstName: String, email: String?, login: String, passwordHash: String?, disabled: Bool,
        createdAt: Int64
    ) {
        self.id = id
        self.role = role
        self.lastName = lastName
        self.firstName = firstName
        self.email = email
        self.login = login
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.createdAt = createdAt
    }

    public init(row: Row) throws {
        id = row["id"]
        guard let role = StaffRole(rawValue: row["role"]) else { throw StoreError.database("unknown role \(String(describing: row["role"] as String?))") }
        self.role = role
        lastName = row["lastName"]
        firstName = row["firstName"]
        email = row["email"]
        login = row["login"]
        passwordHash = row["passwordHash"]
        disabled = row["disabled"]
        createdAt = row["createdAt"]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["role"] = role.rawValue
        container["lastName"] = lastName
        container["firstName"] = firstName
        container["email"] = email
        container["login"] = login
        container["passwordHash"] = passwordHash
        container["disabled"] = disabled
        container["createdAt"] = createdAt
    }

    /// What logs and test output show: never the password hash.
    public var description: String { "\(login) (\(role.rawValue)\(disabled ? ", disabled" : ""))" }
    public var debugDescription: String { description }

    enum PersonColumns {
        static let id = Column("id")
        static let role = Column("role")
        static let login = Column("login")
    }
}

/// A class of the school ("CM2 B"), with its level and cycle.
public struct SchoolClass: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "schoolClass"

    public enum Cycle: String, Codable, Sendable, CaseIterable {
        case cycle1, cycle2, cycle3, cycle4, lycee
    }

    public var id: String
    public var name: String
    /// Free text, e.g. "CM2".
    public var level: String?
    public var cycle: Cycle?
    public var createdAt: Int64
}

/// A pupil of a class: a learner (its id is the local user id the pseudonym comes from), a first
/// name and one initial — nothing more about a pupil is stored.
public struct Pupil: Sendable, Equatable, Hashable {
    /// The learner id (lowercase UUID text).
    public let id: String
    public let classId: String
    public let firstName: String
    /// One uppercase letter.
    public let lastInitial: String

    /// "Léa M." as class lists show it.
    public var displayName: String { "\(firstName) \(lastInitial)." }
}

/// What the people API refuses, in French with an English version.
public struct PeopleError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case notFound, duplicate, invalid, adminExists, lastAdmin, codeRefused, weakPassword, throttled
    }

    public let kind: Kind
    public let french: String
    public let english: String

    public init(_ kind: Kind, _ french: String, _ english: String) {
        self.kind = kind
        self.french = french
        self.english = english
    }

    public var description: String { "\(french) / \(english)" }

    static func name(_ problem: PeopleText.NameProblem, field: String, english: String) -> PeopleError {
        switch problem {
        case .empty: PeopleError(.invalid, "le \(field) est vide", "the \(english) is empty")
        case .tooLong: PeopleError(.invalid, "le \(field) dépasse \(PeopleText.maxNameLength) caractères", "the \(english) is longer than \(PeopleText.maxNameLength) characters")
        case .controlCharacter: PeopleError(.invalid, "le \(field) contient un caractère invisible", "the \(english) holds an invisible character")
        }
    }

    static let personNotFound = PeopleError(.notFound, "cette personne n'existe pas (ou plus)", "no such person")
    static let classNotFound = PeopleError(.notFound, "cette classe n'existe pas (ou plus)", "no such class")
    static let pupilNotFound = PeopleError(.notFound, "cet élève n'existe pas (ou plus)", "no such pupil")
}

enum PeopleCheck {
    static func name(_ text: String, _ field: String, _ english: String) throws(PeopleError) -> String {
        switch PeopleText.name(text) {
        case .success(let name): return name
        case .failure(let problem): throw PeopleError.name(problem, field: field, english: english)
        }
    }

    static func email(_ text: String?) throws(PeopleError) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard PeopleImport.isPlausibleEmail(text) else {
            throw PeopleError(.invalid, "« \(text) » n'est pas une adresse électronique", "“\(text)” is not an email address")
        }
        return text
    }

    static func level(_ text: String?) throws(PeopleError) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return try name(text, "niveau", "level")
    }

    static func newID() -> String { UUID().uuidString.lowercased() }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// French alphabetical order of names (case and accents ignored).
    static func order(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: [.caseInsensitive, .diacriticInsensitive, .numeric], locale: Locale(identifier: "fr_FR")) == .orderedAscending
    }
}

// MARK: - Staff

extension Box {
    /// Adds a staff member; the login is generated (`prenom.nom`, then `prenom.nom2`…). No
    /// password yet: the admin gives a reset code (`issueResetCode`).
    @discardableResult
    public func addStaff(lastName: String, firstName: String, role: StaffRole, email: String? = nil, now: Date = Date()) throws -> Person {
        let last = try PeopleCheck.name(lastName, "nom", "last name")
        let first = try PeopleCheck.name(firstName, "prénom", "first name")
        let email = try PeopleCheck.email(email)
        return try database.write { db in
            try Self.insertStaff(db, lastName: last, firstName: first, role: role, email: email, login: nil, now: PeopleCheck.seconds(now))
        }
    }

    static func insertStaff(_ db: Database, lastName: String, firstName: String, role: StaffRole, email: String?, login: String?, now: Int64) throws -> Person {
        let chosen: String
        if let login {
            chosen = login
            if try Person.filter(Person.PersonColumns.login == login).fetchCount(db) > 0 {
                throw PeopleError(.duplicate, "l'identifiant « \(login) » est déjà pris", "the login “\(login)” is taken")
            }
        } else {
            chosen = try freeLogin(db, base: PeopleText.loginBase(firstName: firstName, lastName: lastName))
        }
        let person = Person(
            id: PeopleCheck.newID(), role: role, lastName: lastName, firstName: firstName, email: email, login: chosen, passwordHash: nil,
            disabled: false, createdAt: now)
        try person.insert(db)
        return person
    }

    /// `base`, else `base2`, `base3`… whichever is free.
    static func freeLogin(_ db: Database, base: String) throws -> String {
        let base = String(base.prefix(55))
        let taken = Set(try String.fetchAll(db, sql: "SELECT login FROM person WHERE login = ? OR login GLOB ?", arguments: [base, base + "[0-9]*"]))
        if !taken.contains(base) { return base }
        var n = 2
        while taken.contains(base + String(n)) { n += 1 }
        return base + String(n)
    }

    /// Changes a staff member's names, role and email (the login stays).
    @discardableResult
    public func updateStaff(id: String, lastName: String, firstName: String, role: StaffRole, email: String?) throws -> Person {
        let last = try PeopleCheck.name(lastName, "nom", "last name")
        let first = try PeopleCheck.name(firstName, "prénom", "first name")
        let email = try PeopleCheck.email(email)
        return try database.write { db in
            guard var person = try Person.fetchOne(db, key: id) else { throw PeopleError.personNotFound }
            if person.role == .admin, role != .admin, !person.disabled, try Self.activeAdminCount(db) <= 1 {
                throw PeopleError(.lastAdmin, "c'est le seul compte admin actif : nommez d'abord un autre admin", "this is the only active admin account: make someone else admin first")
            }
            person.lastName = last
            person.firstName = first
            person.role = role
            person.email = email
            try person.update(db)
            return person
        }
    }

    /// Disables (or enables again) a staff account. Disabling ends its sessions and refuses the
    /// last active admin.
    @discardableResult
    public func setStaffDisabled(id: String, _ disabled: Bool) throws -> Person {
        try database.write { db in
            guard var person = try Person.fetchOne(db, key: id) else { throw PeopleError.personNotFound }
            if disabled, person.role == .admin, !person.disabled, try Self.activeAdminCount(db) <= 1 {
                throw PeopleError(.lastAdmin, "c'est le seul compte admin actif : il ne peut pas être désactivé", "this is the only active admin account: it cannot be disabled")
            }
            person.disabled = disabled
            try person.update(db)
            if disabled { try db.execute(sql: "DELETE FROM session WHERE personId = ?", arguments: [id]) }
            return person
        }
    }

    static func activeAdminCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person WHERE role = 'admin' AND disabled = 0") ?? 0
    }

    /// Every staff member, by last name then first name.
    public func staff() throws -> [Person] {
        try database.read { db in try Person.fetchAll(db) }
            .sorted { (PeopleText.folded($0.lastName), PeopleText.folded($0.firstName)) < (PeopleText.folded($1.lastName), PeopleText.folded($1.firstName)) }
    }

    public func person(id: String) throws -> Person? {
        try database.read { db in try Person.fetchOne(db, key: id) }
    }

    /// The learner a staff member launches training modules as (kind `staff`, the same id as
    /// the person, so their pseudonym is stable), created the first time.
    public func staffLearner(personId: String, now: Date = Date()) throws -> Learner {
        try database.write { db in
            guard let person = try Person.fetchOne(db, key: personId) else { throw PeopleError.personNotFound }
            if let learner = try Learner.fetchOne(db, key: person.id) { return learner }
            let learner = Learner(id: UUID(uuidString: person.id) ?? UUID(), firstName: person.firstName, kind: .staff, createdAt: PeopleCheck.seconds(now))
            try learner.insert(db)
            return learner
        }
    }

    /// The person with this login (compared lowercased, trimmed).
    public func person(login: String) throws -> Person? {
        try database.read { db in try Person.filter(Person.PersonColumns.login == PeopleText.normalizedLogin(login)).fetchOne(db) }
    }
}

// MARK: - Classes

extension Box {
    @discardableResult
    public func addClass(name: String, level: String? = nil, cycle: SchoolClass.Cycle? = nil, now: Date = Date()) throws -> SchoolClass {
        let name = try PeopleCheck.name(name, "nom de classe", "class name")
        let level = try PeopleCheck.level(level)
        return try database.write { db in
            try Self.insertClass(db, name: name, level: level, cycle: cycle, now: PeopleCheck.seconds(now))
        }
    }

    static func insertClass(_ db: Database, name: String, level: String?, cycle: SchoolClass.Cycle?, now: Int64) throws -> SchoolClass {
        if try schoolClass(db, named: name) != nil {
            throw PeopleError(.duplicate, "une classe s'appelle déjà « \(name) »", "a class is already named “\(name)”")
        }
        let schoolClass = SchoolClass(id: PeopleCheck.newID(), name: name, level: level, cycle: cycle, createdAt: now)
        try schoolClass.insert(db)
        return schoolClass
    }

    /// The class of that name, compared without regard to case or accents.
    static func schoolClass(_ db: Database, named name: String) throws -> SchoolClass? {
        let key = PeopleText.key(name)
        return try SchoolClass.fetchAll(db).first { PeopleText.key($0.name) == key }
    }

    /// Renames a class and changes its level and cycle.
    @discardableResult
    public func updateClass(id: String, name: String, level: String?, cycle: SchoolClass.Cycle?) throws -> SchoolClass {
        let name = try PeopleCheck.name(name, "nom de classe", "class name")
        let level = try PeopleCheck.level(level)
        return try database.write { db in
            guard var schoolClass = try SchoolClass.fetchOne(db, key: id) else { throw PeopleError.classNotFound }
            if let other = try Self.schoolClass(db, named: name), other.id != id {
                throw PeopleError(.duplicate, "une classe s'appelle déjà « \(name) »", "a class is already named “\(name)”")
            }
            schoolClass.name = name
            schoolClass.level = level
            schoolClass.cycle = cycle
            try schoolClass.update(db)
            return schoolClass
        }
    }

    /// Every class, by name.
    public func classes() throws -> [SchoolClass] {
        try database.read { db in try SchoolClass.fetchAll(db) }.sorted { PeopleCheck.order($0.name, $1.name) }
    }

    public func schoolClass(id: String) throws -> SchoolClass? {
        try database.read { db in try SchoolClass.fetchOne(db, key: id) }
    }

    /// Makes `personId` one of the class's teachers (no-op when already).
    public func assignTeacher(classId: String, personId: String) throws {
        try database.write { db in
            guard try SchoolClass.fetchOne(db, key: classId) != nil else { throw PeopleError.classNotFound }
            guard try Person.fetchOne(db, key: personId) != nil else { throw PeopleError.personNotFound }
            try db.execute(sql: "INSERT OR IGNORE INTO classTeacher (classId, personId) VALUES (?, ?)", arguments: [classId, personId])
        }
    }

    public func unassignTeacher(classId: String, personId: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM classTeacher WHERE classId = ? AND personId = ?", arguments: [classId, personId])
        }
    }

    /// Replaces the class's teachers by exactly these.
    public func setTeachers(classId: String, personIds: [String]) throws {
        try database.write { db in
            guard try SchoolClass.fetchOne(db, key: classId) != nil else { throw PeopleError.classNotFound }
            try db.execute(sql: "DELETE FROM classTeacher WHERE classId = ?", arguments: [classId])
            for personId in Set(personIds) {
                guard try Person.fetchOne(db, key: personId) != nil else { throw PeopleError.personNotFound }
                try db.execute(sql: "INSERT INTO classTeacher (classId, personId) VALUES (?, ?)", arguments: [classId, personId])
            }
        }
    }

    /// The classes a teacher teaches, by name.
    public func classes(ofTeacher personId: String) throws -> [SchoolClass] {
        try database.read { db in
            try SchoolClass.fetchAll(db, sql: "SELECT c.* FROM schoolClass c JOIN classTeacher t ON t.classId = c.id WHERE t.personId = ?", arguments: [personId])
        }.sorted { PeopleCheck.order($0.name, $1.name) }
    }

    /// The teachers of a class, by last name.
    public func teachers(ofClass classId: String) throws -> [Person] {
        try database.read { db in
            try Person.fetchAll(db, sql: "SELECT p.* FROM person p JOIN classTeacher t ON t.personId = p.id WHERE t.classId = ?", arguments: [classId])
        }.sorted { PeopleCheck.order($0.lastName + " " + $0.firstName, $1.lastName + " " + $1.firstName) }
    }

    /// Removes a class, its pupils and all their data on the box (launches, SCORM data, xAPI
    /// documents and statements, even those not yet pushed), and writes it in the audit log.
    @discardableResult
    public func removeClass(id: String, by personId: String? = nil, now: Date = Date()) throws -> PurgeReport {
        let pseudonymizer = try pseudonymizer()
        return try database.write { db in
            guard let schoolClass = try SchoolClass.fetchOne(db, key: id) else { throw PeopleError.classNotFound }
            let learners = try String.fetchAll(db, sql: "SELECT id FROM pupil WHERE classId = ?", arguments: [id])
            var report = PurgeReport()
            try Self.deleteLearnerData(db, learnerIds: learners, before: nil, keepOutbox: false, pseudonymizer: pseudonymizer, report: &report)
            try db.execute(sql: "DELETE FROM schoolClass WHERE id = ?", arguments: [id])
            report.pupils = learners.count
            try Self.audit(db, at: PeopleCheck.seconds(now), personId: personId, action: "class.remove", pupilId: nil, classId: id,
                detail: "\(schoolClass.name): \(learners.count) élèves, \(report.statements) déclarations")
            return report
        }
    }
}

// MARK: - Pupils

extension Box {
    /// Adds a pupil to a class: a first name and one initial ("M" from "Martin": only the first
    /// letter is kept). Refused when the class already has that first name and initial.
    @discardableResult
    public func addPupil(classId: String, firstName: String, lastInitial: String, now: Date = Date()) throws -> Pupil {
        let first = try PeopleCheck.name(firstName, "prénom", "first name")
        guard let initial = PeopleText.initial(lastInitial) else {
            throw PeopleError(.invalid, "l'initiale doit être une lettre", "the initial must be a letter")
        }
        return try database.write { db in
            guard try SchoolClass.fetchOne(db, key: classId) != nil else { throw PeopleError.classNotFound }
            return try Self.insertPupil(db, classId: classId, firstName: first, lastInitial: initial, now: PeopleCheck.seconds(now))
        }
    }

    static func insertPupil(_ db: Database, classId: String, firstName: String, lastInitial: String, now: Int64) throws -> Pupil {
        let exists = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM pupil WHERE classId = ? AND firstNameKey = ? AND lastInitial = ?)",
            arguments: [classId, PeopleText.key(firstName), lastInitial]) ?? false
        if exists {
            throw PeopleError(.duplicate, "la classe a déjà un·e élève « \(firstName) \(lastInitial). »", "the class already has a pupil “\(firstName) \(lastInitial).”")
        }
        let learner = Learner(firstName: firstName, kind: .pupil, createdAt: now)
        try learner.insert(db)
        try db.execute(
            sql: "INSERT INTO pupil (id, classId, firstNameKey, lastInitial) VALUES (?, ?, ?, ?)",
            arguments: [learner.id, classId, PeopleText.key(firstName), lastInitial])
        return Pupil(id: learner.id, classId: classId, firstName: firstName, lastInitial: lastInitial)
    }

    /// Corrects a pupil's first name or initial, or moves them to another class; their learner
    /// id (and so their pseudonym and their data) stays.
    @discardableResult
    public func updatePupil(id: String, firstName: String, lastInitial: String, classId: String) throws -> Pupil {
        let first = try PeopleCheck.name(firstName, "prénom", "first name")
        guard let initial = PeopleText.initial(lastInitial) else {
            throw PeopleError(.invalid, "l'initiale doit être une lettre", "the initial must be a letter")
        }
        return try database.write { db in
            guard try Self.pupils(db, sql: "WHERE p.id = ?", [id]).first != nil else { throw PeopleError.pupilNotFound }
            guard try SchoolClass.fetchOne(db, key: classId) != nil else { throw PeopleError.classNotFound }
            let taken = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM pupil WHERE classId = ? AND firstNameKey = ? AND lastInitial = ? AND id != ?)",
                arguments: [classId, PeopleText.key(first), initial, id]) ?? false
            if taken {
                throw PeopleError(.duplicate, "la classe a déjà un·e élève « \(first) \(initial). »", "the class already has a pupil “\(first) \(initial).”")
            }
            try db.execute(sql: "UPDATE learner SET firstName = ? WHERE id = ?", arguments: [first, id])
            try db.execute(
                sql: "UPDATE pupil SET classId = ?, firstNameKey = ?, lastInitial = ? WHERE id = ?", arguments: [classId, PeopleText.key(first), initial, id])
            return Pupil(id: id, classId: classId, firstName: first, lastInitial: initial)
        }
    }

    /// How many pupils each class has (classes without pupils are absent).
    public func pupilCounts() throws -> [String: Int] {
        try database.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT classId, COUNT(*) FROM pupil GROUP BY classId") { counts[row[0]] = row[1] }
            return counts
        }
    }

    /// The pupils of a class, by first name then initial.
    public func pupils(inClass classId: String) throws -> [Pupil] {
        try database.read { db in try Self.pupils(db, sql: "WHERE p.classId = ?", [classId]) }
            .sorted { (PeopleText.folded($0.firstName), $0.lastInitial) < (PeopleText.folded($1.firstName), $1.lastInitial) }
    }

    public func pupil(id: String) throws -> Pupil? {
        try database.read { db in try Self.pupils(db, sql: "WHERE p.id = ?", [id]).first }
    }

    static func pupils(_ db: Database, sql condition: String, _ arguments: StatementArguments) throws -> [Pupil] {
        try Row.fetchAll(db, sql: "SELECT p.id, p.classId, l.firstName, p.lastInitial FROM pupil p JOIN learner l ON l.id = p.id \(condition)", arguments: arguments)
            .map { Pupil(id: $0[0], classId: $0[1], firstName: $0[2], lastInitial: $0[3]) }
    }

    /// Removes a pupil and all their data on the box (launches, SCORM data, xAPI documents and
    /// statements, even those not yet pushed), and writes it in the audit log.
    @discardableResult
    public func removePupil(id: String, by personId: String? = nil, now: Date = Date()) throws -> PurgeReport {
        let pseudonymizer = try pseudonymizer()
        return try database.write { db in
            guard let pupil = try Self.pupils(db, sql: "WHERE p.id = ?", [id]).first else { throw PeopleError.pupilNotFound }
            var report = PurgeReport()
            try Self.deleteLearnerData(db, learnerIds: [id], before: nil, keepOutbox: false, pseudonymizer: pseudonymizer, report: &report)
            report.pupils = 1
            try Self.audit(db, at: PeopleCheck.seconds(now), personId: personId, action: "pupil.remove", pupilId: id, classId: pupil.classId,
                detail: "\(report.statements) déclarations")
            return report
        }
    }
}
