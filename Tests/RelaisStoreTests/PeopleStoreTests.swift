import Foundation
import GRDB
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import Testing

/// The French Excel export of a class of 25 (`;`, Windows-1252, CRLF), as PeopleImportTests has it.
func frenchClassFile(className: String = "CM2 B") -> [UInt8] {
    let firstNames = [
        "Léa", "Noé", "Zoé", "Chloé", "Anaïs", "Maël", "Inès", "Jérôme", "Éloïse", "Gaël", "Hélène", "Loïc", "Noël",
        "Raphaël", "Ambre", "Jade", "Louise", "Hugo", "Arthur", "Lina", "Adèle", "Théo", "Célia", "Mathéo", "Bérénice",
    ]
    var text = "Prénom;Nom;Classe\r\n"
    for (i, first) in firstNames.enumerated() { text += "\(first);\(["Martin", "Dubois", "Petit", "Roux", "Morel"][i % 5]);\(className)\r\n" }
    return text.unicodeScalars.map { UInt8($0.value) }  // all Latin-1: Windows-1252 bytes
}

struct PeopleStoreTests {
    @Test func staffGetGeneratedUniqueLoginsAndNoPasswordYet() throws {
        let t = try TestBox()
        let a = try t.box.addStaff(lastName: "Martin", firstName: "Anne-Sophie", role: .enseignant)
        let b = try t.box.addStaff(lastName: "MARTIN", firstName: "Anne Sophie", role: .enseignant)
        let c = try t.box.addStaff(lastName: "Martin", firstName: "Annesophie", role: .admin, email: "as@ac-paris.fr")
        #expect([a.login, b.login, c.login] == ["annesophie.martin", "annesophie.martin2", "annesophie.martin3"])
        #expect(!a.hasPassword)
        #expect(try t.box.staff().count == 3)
        #expect(throws: PeopleError.self) { try t.box.addStaff(lastName: "", firstName: "X", role: .admin) }
        #expect(throws: PeopleError.self) { try t.box.addStaff(lastName: "X", firstName: "Y", role: .admin, email: "pas une adresse") }
    }

    /// The database itself refuses `sql`, saying which rule.
    func expectRefused(_ t: TestBox, _ rule: String, _ sql: String, _ arguments: StatementArguments = []) {
        do {
            try t.box.database.write { db in try db.execute(sql: sql, arguments: arguments) }
            Issue.record("the schema accepted \(sql)")
        } catch {
            #expect("\(error)".contains(rule), "\(error)")
        }
    }

    @Test func theSchemaRefusesBadRolesCyclesKindsAndInitials() throws {
        let t = try TestBox()
        expectRefused(t, "CHECK constraint failed: role", "INSERT INTO person (id, role, lastName, firstName, login, createdAt) VALUES ('p', 'directeur', 'A', 'B', 'a.b', 0)")
        expectRefused(t, "CHECK constraint failed: length(login)", "INSERT INTO person (id, role, lastName, firstName, login, createdAt) VALUES ('p', 'admin', 'A', 'B', 'A.B', 0)")
        expectRefused(t, "CHECK constraint failed: cycle", "INSERT INTO schoolClass (id, name, cycle, createdAt) VALUES ('c', 'X', 'cycle9', 0)")
        expectRefused(t, "CHECK constraint failed: kind", "INSERT INTO learner (id, firstName, kind, createdAt) VALUES ('l', 'A', 'parent', 0)")
        let schoolClass = try t.box.addClass(name: "CM1", level: "CM1", cycle: .cycle3)
        try t.box.database.write { db in try db.execute(sql: "INSERT INTO learner (id, firstName, kind, createdAt) VALUES ('l', 'A', 'pupil', 0)") }
        expectRefused(t, "CHECK constraint failed: length(lastInitial)", "INSERT INTO pupil (id, classId, firstNameKey, lastInitial) VALUES ('l', ?, 'a', 'mm')", [schoolClass.id])
        expectRefused(t, "FOREIGN KEY constraint failed", "INSERT INTO pupil (id, classId, firstNameKey, lastInitial) VALUES ('l', 'nope', 'a', 'M')")
        expectRefused(t, "FOREIGN KEY constraint failed", "INSERT INTO session (idHash, personId, csrfToken, createdAt, lastSeenAt) VALUES (?, 'nobody', 'x', 0, 0)", [String(repeating: "a", count: 64)])
        // Class names are unique whatever their case.
        #expect(throws: PeopleError.self) { try t.box.addClass(name: "cm1") }
        expectRefused(t, "UNIQUE constraint failed: schoolClass.name", "INSERT INTO schoolClass (id, name, createdAt) VALUES ('c2', 'cm1', 0)")
    }

    @Test func guestLearnersMadeBeforeTheMigrationStillWork() throws {
        let t = try TestBox()
        let guest = try t.box.guestLearner(firstName: "Léa")
        #expect(try t.box.guestLearner(firstName: "LEA").id == guest.id)
        #expect(try t.box.learner(id: UUID(uuidString: guest.id)!)?.kind == .guest)
    }

    @Test func classesTeachersAndPupils() throws {
        let t = try TestBox()
        let teacher = try t.box.addStaff(lastName: "Diallo", firstName: "Aïssata", role: .enseignant)
        let cm2 = try t.box.addClass(name: "CM2 B", level: "CM2", cycle: .cycle3)
        let cm1 = try t.box.addClass(name: "CM1 A", level: "CM1", cycle: .cycle3)
        try t.box.assignTeacher(classId: cm2.id, personId: teacher.id)
        try t.box.assignTeacher(classId: cm1.id, personId: teacher.id)
        try t.box.assignTeacher(classId: cm1.id, personId: teacher.id)
        #expect(try t.box.classes(ofTeacher: teacher.id).map(\.name) == ["CM1 A", "CM2 B"])
        #expect(try t.box.teachers(ofClass: cm2.id).map(\.id) == [teacher.id])
        try t.box.addPupil(classId: cm2.id, firstName: "Zoé", lastInitial: "Martin")
        try t.box.addPupil(classId: cm2.id, firstName: "Léa", lastInitial: "p")
        try t.box.addPupil(classId: cm2.id, firstName: "Léa", lastInitial: "D")
        #expect(throws: PeopleError.self) { try t.box.addPupil(classId: cm2.id, firstName: "LEA", lastInitial: "d") }
        #expect(try t.box.pupils(inClass: cm2.id).map(\.displayName) == ["Léa D.", "Léa P.", "Zoé M."])
        try t.box.updateClass(id: cm2.id, name: "CM2 Bleu", level: "CM2", cycle: .cycle3)
        #expect(try t.box.classes().map(\.name) == ["CM1 A", "CM2 Bleu"])
        try t.box.setTeachers(classId: cm2.id, personIds: [])
        #expect(try t.box.classes(ofTeacher: teacher.id).map(\.name) == ["CM1 A"])
    }

    @Test func aFrenchExcelClassOf25ImportsAndReimportingChangesNothing() throws {
        let t = try TestBox()
        let file = frenchClassFile()
        // The class does not exist yet: refused naming line and column, unless asked to create it.
        guard case .failure(let problems) = try t.box.previewPupilImport(file) else {
            Issue.record("previewed pupils of an unknown class")
            return
        }
        #expect(problems.count == 25 && problems[0].line == 2 && problems[0].column == "classe")
        let preview = try t.box.previewPupilImport(file, createMissingClasses: true).get()
        #expect(preview.newCount == 25 && preview.newClasses == ["CM2 B"])
        #expect(try t.box.classes().isEmpty)  // a preview writes nothing
        let applied = try t.box.applyPupilImport(file, createMissingClasses: true).get()
        #expect(applied.created.count == 25 && applied.classesCreated.map(\.name) == ["CM2 B"])
        #expect(applied.classesCreated[0].level == "CM2" && applied.classesCreated[0].cycle == .cycle3)
        let pupils = try t.box.pupils(inClass: applied.classesCreated[0].id)
        #expect(pupils.count == 25 && pupils.first?.displayName == "Adèle M.")
        // No full last name stored anywhere.
        let learners = try t.box.database.read { db in try String.fetchAll(db, sql: "SELECT firstName || ' ' || p.lastInitial FROM learner JOIN pupil p USING (id)") }
        #expect(!learners.contains { $0.contains("Martin") })

        let again = try t.box.previewPupilImport(file).get()
        #expect(again.newCount == 0 && again.alreadyThereCount == 25)
        let reapplied = try t.box.applyPupilImport(file).get()
        #expect(reapplied.created.isEmpty && reapplied.alreadyThere == 25)
        #expect(try t.box.pupils(inClass: applied.classesCreated[0].id).count == 25)
    }

    @Test func aFileWithOneBadRowImportsNothing() throws {
        let t = try TestBox()
        try t.box.addClass(name: "CM2 B")
        let text = "Prénom;Nom;Classe\r\nLéa;Martin;CM2 B\r\nTom;Petit;CM3 Z\r\nZoé;Roux;CM2 B\r\n"
        guard case .failure(let problems) = try t.box.applyPupilImport(Array(text.utf8)) else {
            Issue.record("imported a file with a bad row")
            return
        }
        #expect(problems.count == 1 && problems[0].line == 3 && problems[0].column == "classe")
        #expect(problems[0].french.contains("« CM3 Z » n'existe pas"))
        #expect(try t.box.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pupil") } == 0)
    }

    @Test func staffImportPreviewsThenCreatesOnceWithLogins() throws {
        let t = try TestBox()
        try t.box.addStaff(lastName: "Diallo", firstName: "Aïssata", role: .enseignant)
        let file = Array("nom;prénom;rôle;email\r\nDiallo;Aïssata;enseignante;\r\nRobert;Marc;Direction;m.robert@ac-paris.fr\r\nPetit;Léon;Enseignant;\r\n".utf8)
        let preview = try t.box.previewStaffImport(file).get()
        #expect(preview.lines.map(\.isNew) == [false, true, true])
        let result = try t.box.applyStaffImport(file).get()
        #expect(result.created.map(\.login) == ["marc.robert", "leon.petit"])
        #expect(result.created.map(\.role) == [.admin, .enseignant])
        #expect(try t.box.applyStaffImport(file).get().created.isEmpty)
        #expect(try t.box.staff().map(\.lastName) == ["Diallo", "Petit", "Robert"])
        #expect(try t.box.auditLog(limit: 5).first?.action == "staff.import")
    }

    @Test func theLastActiveAdminCannotBeDisabledOrDemoted() throws {
        let t = try TestBox()
        let admin = try t.box.addStaff(lastName: "A", firstName: "B", role: .admin)
        #expect(throws: PeopleError.self) { try t.box.setStaffDisabled(id: admin.id, true) }
        #expect(throws: PeopleError.self) { try t.box.updateStaff(id: admin.id, lastName: "A", firstName: "B", role: .enseignant, email: nil) }
        let other = try t.box.addStaff(lastName: "C", firstName: "D", role: .admin)
        #expect(try t.box.setStaffDisabled(id: admin.id, true).disabled)
        #expect(try t.box.person(id: other.id)?.disabled == false)
    }
}

extension PeopleStoreTests {
    @Test func aStaffMemberLaunchesAsOneStableStaffLearner() throws {
        let t = try TestBox()
        let person = try t.box.addStaff(lastName: "Diallo", firstName: "Ada", role: .enseignant)
        let learner = try t.box.staffLearner(personId: person.id)
        #expect(learner.kind == .staff && learner.id == person.id)
        #expect(try t.box.staffLearner(personId: person.id) == learner)
    }

    @Test func theScrubberLearnsEveryNameTheBoxKnows() throws {
        let t = try TestBox()
        let schoolClass = try t.box.addClass(name: "CM2 B")
        try t.box.addPupil(classId: schoolClass.id, firstName: "Léa", lastInitial: "M")
        _ = try t.box.guestLearner(firstName: "Noé")
        try t.box.addStaff(lastName: "Diallo", firstName: "Ada", role: .enseignant)
        let names = try t.box.knownNames()
        #expect(Set(names.people) == ["Léa", "Noé", "Diallo", "Ada"])
        #expect(names.classes == ["CM2 B"])
    }
}

extension PeopleStoreTests {
    @Test func aPupilMovesToAnotherClassKeepingTheirId() throws {
        let t = try TestBox()
        let cm1 = try t.box.addClass(name: "CM1")
        let cm2 = try t.box.addClass(name: "CM2")
        let lea = try t.box.addPupil(classId: cm1.id, firstName: "Léa", lastInitial: "M")
        try t.box.addPupil(classId: cm2.id, firstName: "Lea", lastInitial: "D")
        let moved = try t.box.updatePupil(id: lea.id, firstName: "Léa", lastInitial: "M", classId: cm2.id)
        #expect(moved.id == lea.id && moved.classId == cm2.id)
        #expect(try t.box.pupilCounts() == [cm2.id: 2])
        #expect(throws: PeopleError.self) { try t.box.updatePupil(id: lea.id, firstName: "LÉA", lastInitial: "d", classId: cm2.id) }
        #expect(try t.box.updatePupil(id: lea.id, firstName: "Léana", lastInitial: "m", classId: cm2.id).displayName == "Léana M.")
    }
}
