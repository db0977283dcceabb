import Foundation
import RelaisCore
import RelaisLaunch
import RelaisSeance
import RelaisStore
import RelaisTestSupport
import Testing

/// A box with a teacher, a class of three pupils, another class, and two HTML5 bundles.
struct SeanceWorld {
    let t: TestBox
    let teacher: Person
    let classe: SchoolClass
    let pupils: [Pupil]
    let stranger: Pupil
    var box: Box { t.box }
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    init() throws {
        let t = try TestBox()
        let box = t.box
        teacher = try box.addStaff(lastName: "Diallo", firstName: "Awa", role: .enseignant)
        let classe = try box.addClass(name: "CM2 B", level: "CM2", cycle: .cycle3)
        try box.assignTeacher(classId: classe.id, personId: teacher.id)
        pupils = try ["Léa", "Tom", "Inès"].map { try box.addPupil(classId: classe.id, firstName: $0, lastInitial: "M") }
        let other = try box.addClass(name: "CE1 A")
        stranger = try box.addPupil(classId: other.id, firstName: "Zoé", lastInitial: "K")
        for id in ["fr.relais.test.fractions", "fr.relais.test.lecture"] {
            try t.importBundle(try t.bundle(id: id, files: ["index.html": "<p>\(id)</p>"]))
        }
        self.t = t
        self.classe = classe
    }

    func preparedSeance(activities: [String] = ["fr.relais.test.fractions", "fr.relais.test.lecture"]) throws -> Seance {
        let seance = try box.createSeance(
            SeanceDraft(title: "Fractions — CM2 B", classId: classe.id, instructions: "Faire les deux activités.", planB: "Fiche 12 du manuel."),
            teacherId: teacher.id, createdBy: teacher.id, now: now)
        for id in activities { try box.addSeanceActivity(seanceId: seance.id, bundleId: id, itemId: nil, title: id, now: now) }
        return seance
    }
}

@Suite("Séance prête: preparing, hand-over, running, progress")
struct SeanceTests {
    @Test("the code alphabet has no look-alikes, codes are typed leniently, and derived codes are uniform")
    func codes() {
        #expect(!SeanceCode.alphabet.contains { "01OIL".contains($0) })
        #expect(SeanceCode.spaceSize == 887_503_681)
        #expect(SeanceCode.normalized(" hq4-9zt ") == "HQ49ZT")
        #expect(SeanceCode.normalized("HQ4-9Z0") == nil)  // 0 is not in the alphabet
        #expect(SeanceCode.normalized("HQ4-9Z") == nil)
        #expect(SeanceCode.display("HQ49ZT") == "HQ4-9ZT")
        // Bytes ≥ 248 are skipped so that each symbol is equally likely.
        #expect(SeanceCode.make(from: [248, 255, 0, 1, 2, 3, 4, 30]) == "23456Z")
        #expect(SeanceCode.make(from: [0, 1, 2]) == nil)
    }

    @Test("activities keep their order through moves and removals; a started séance is no longer edited")
    func activities() throws {
        let w = try SeanceWorld()
        let seance = try w.preparedSeance()
        try w.box.addSeanceActivity(seanceId: seance.id, bundleId: "fr.relais.test.fractions", itemId: "sco-2", title: "Fractions, partie 2")
        try w.box.moveSeanceActivity(seanceId: seance.id, position: 2, .monter)
        #expect(try w.box.seanceActivities(seanceId: seance.id).map(\.title) == ["fr.relais.test.fractions", "Fractions, partie 2", "fr.relais.test.lecture"])
        try w.box.moveSeanceActivity(seanceId: seance.id, position: 0, .retirer)
        let after = try w.box.seanceActivities(seanceId: seance.id)
        #expect(after.map(\.position) == [0, 1])
        #expect(after.first?.itemId == "sco-2")
        _ = try w.box.handOver(seanceId: seance.id, by: w.teacher.id, now: w.now)
        _ = try w.box.startSeance(id: seance.id, by: nil, now: w.now)
        #expect(throws: PeopleError.self) { try w.box.addSeanceActivity(seanceId: seance.id, bundleId: "x", itemId: nil, title: "x") }
        #expect(throws: PeopleError.self) {
            try w.box.updateSeance(id: seance.id, SeanceDraft(title: "Autre", classId: w.classe.id))
        }
    }

    @Test("bad drafts are refused with a reason and nothing is written")
    func drafts() throws {
        let w = try SeanceWorld()
        #expect(throws: PeopleError.self) { try w.box.createSeance(SeanceDraft(title: "  ", classId: w.classe.id), teacherId: w.teacher.id, createdBy: nil) }
        #expect(throws: PeopleError.self) {
            try w.box.createSeance(SeanceDraft(title: "A", classId: w.classe.id, slotStart: 100, slotEnd: 50), teacherId: w.teacher.id, createdBy: nil)
        }
        #expect(throws: PeopleError.self) { try w.box.createSeance(SeanceDraft(title: "A", classId: "nope"), teacherId: w.teacher.id, createdBy: nil) }
        #expect(try w.box.allSeances().isEmpty)
        let empty = try w.box.createSeance(SeanceDraft(title: "Vide", classId: w.classe.id), teacherId: w.teacher.id, createdBy: nil)
        #expect(throws: PeopleError.self) { try w.box.handOver(seanceId: empty.id, by: nil) }
        #expect(try w.box.seance(id: empty.id)?.state == .brouillon)
    }

    @Test("a hand-over code opens that one séance for its window only; a new code or a revocation ends the old one")
    func handover() throws {
        let w = try SeanceWorld()
        let seance = try w.preparedSeance()
        let code = try w.box.handOver(seanceId: seance.id, by: w.teacher.id, now: w.now)
        #expect(SeanceCode.normalized(code) == code)
        #expect(try w.box.seance(id: seance.id)?.state == .confiee)
        let access = try w.box.redeemHandover(code: SeanceCode.display(code).lowercased(), address: "10.0.0.5", now: w.now)
        #expect(access.access.seanceId == seance.id && access.access.role == .remplacant)
        #expect(try w.box.seanceAccess(token: access.token, now: w.now)?.seanceId == seance.id)
        // 24 hours without a slot; after that, nothing.
        #expect(try w.box.seanceAccess(token: access.token, now: w.now.addingTimeInterval(24 * 3600 + 1)) == nil)
        #expect(throws: PeopleError.codeRefused) { try w.box.redeemHandover(code: code, address: "10.0.0.5", now: w.now.addingTimeInterval(24 * 3600 + 1)) }
        // Confier again: the first code and the access it gave stop working.
        let second = try w.box.handOver(seanceId: seance.id, by: w.teacher.id, now: w.now)
        #expect(second != code)
        #expect(try w.box.seanceAccess(token: access.token, now: w.now) == nil)
        #expect(throws: PeopleError.codeRefused) { try w.box.redeemHandover(code: code, address: "10.0.0.6", now: w.now) }
        try w.box.revokeHandover(seanceId: seance.id, by: w.teacher.id, now: w.now)
        #expect(throws: PeopleError.codeRefused) { try w.box.redeemHandover(code: second, address: "10.0.0.6", now: w.now) }
        #expect(try w.box.seance(id: seance.id)?.state == .brouillon)
    }

    @Test("a slot sets the window: from an hour before it starts to its end")
    func slotWindow() throws {
        let w = try SeanceWorld()
        let start = Int64(w.now.timeIntervalSince1970) + 3 * 86_400
        let seance = try w.box.createSeance(
            SeanceDraft(title: "Jeudi 10 h", classId: w.classe.id, slotStart: start, slotEnd: start + 3600), teacherId: w.teacher.id, createdBy: nil, now: w.now)
        try w.box.addSeanceActivity(seanceId: seance.id, bundleId: "fr.relais.test.fractions", itemId: nil, title: "F")
        let code = try w.box.handOver(seanceId: seance.id, by: nil, now: w.now)
        let handover = try #require(try w.box.handover(seanceId: seance.id))
        #expect(handover.validUntil == start + 3600)
        #expect(handover.validFrom == Int64(w.now.timeIntervalSince1970))  // printed now, usable until the slot ends
        #expect(throws: PeopleError.codeRefused) { try w.box.redeemHandover(code: code, address: "1.2.3.4", now: Date(timeIntervalSince1970: TimeInterval(start + 3600))) }
        _ = try w.box.redeemHandover(code: code, address: "1.2.3.4", now: Date(timeIntervalSince1970: TimeInterval(start + 60)))
        // A slot with a start and no end: 24 hours from the start, not from the hand-over.
        let open = try w.box.createSeance(SeanceDraft(title: "Lundi", classId: w.classe.id, slotStart: start), teacherId: w.teacher.id, createdBy: nil, now: w.now)
        try w.box.addSeanceActivity(seanceId: open.id, bundleId: "fr.relais.test.fractions", itemId: nil, title: "F")
        _ = try w.box.handOver(seanceId: open.id, by: nil, now: w.now)
        #expect(try w.box.handover(seanceId: open.id)?.validUntil == start + 24 * 3600)
    }

    @Test("wrong codes are throttled per address: the eleventh try within 15 minutes is refused even with the right code")
    func throttling() throws {
        let w = try SeanceWorld()
        let seance = try w.preparedSeance()
        let code = try w.box.handOver(seanceId: seance.id, by: nil, now: w.now)
        for i in 0..<CodeThrottle.perAddress {
            #expect(throws: PeopleError.codeRefused) { try w.box.redeemHandover(code: "ZZZ-ZZ\(i % 8 + 2)", address: "10.0.0.9", now: w.now) }
        }
        #expect(try w.box.codeAttemptAllowed(address: "10.0.0.9", now: w.now) != nil)
        do {
            _ = try w.box.redeemHandover(code: code, address: "10.0.0.9", now: w.now)
            Issue.record("a throttled address got in")
        } catch let error as PeopleError {
            #expect(error.kind == .throttled)
        }
        // Join codes count against the same address; another address is not affected.
        #expect(throws: PeopleError.self) { try w.box.seance(joinCode: "ABC-DEF", address: "10.0.0.9", now: w.now) }
        _ = try w.box.redeemHandover(code: code, address: "10.0.0.10", now: w.now)
        #expect(try w.box.codeAttemptAllowed(address: "10.0.0.9", now: w.now.addingTimeInterval(15 * 60 + 1)) == nil)
    }

    @Test("codes and tokens are stored only as keyed hashes")
    func storedHashed() throws {
        let w = try SeanceWorld()
        let seance = try w.preparedSeance()
        let code = try w.box.handOver(seanceId: seance.id, by: nil, now: w.now)
        let join = try w.box.startSeance(id: seance.id, by: nil, now: w.now)
        let access = try w.box.redeemHandover(code: code, address: "1.1.1.1", now: w.now)
        // Every byte the database holds (main file and write-ahead log), read as text.
        let path = w.box.directory.databasePath
        let dump = [path, path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }.map { String(decoding: $0, as: UTF8.self) }.joined()
        #expect(dump.contains("Fractions"))  // the read works: the séance's title is there
        for secret in [code, join, access.token, SeanceCode.display(code), SeanceCode.display(join), Secrets.sha256Hex(code), Secrets.sha256Hex(join)] {
            #expect(!dump.contains(secret))
        }
    }

    @Test("pupils join by code and name, launch within the séance, and the table shows what the LRS holds; Terminer closes the code")
    func running() throws {
        let w = try SeanceWorld()
        let seance = try w.preparedSeance()
        _ = try w.box.handOver(seanceId: seance.id, by: nil, now: w.now)
        let join = try w.box.startSeance(id: seance.id, by: nil, now: w.now)
        #expect(try w.box.startSeance(id: seance.id, by: nil, now: w.now) == join)  // the projector can show it again
        #expect(try w.box.joinCode(of: try #require(try w.box.seance(id: seance.id))) == join)
        #expect(try w.box.seance(joinCode: SeanceCode.display(join), address: "10.0.1.1", now: w.now).id == seance.id)
        // A pupil of another class cannot join.
        #expect(throws: PeopleError.self) { try w.box.joinSeance(seanceId: seance.id, pupilId: w.stranger.id, now: w.now) }
        let lea = try w.box.joinSeance(seanceId: seance.id, pupilId: w.pupils[0].id, now: w.now)
        let tom = try w.box.joinSeance(seanceId: seance.id, pupilId: w.pupils[1].id, now: w.now)
        let service = SeanceService(box: w.box)
        let origins = LaunchOrigins(portal: "http://relais.local:8080", content: "http://relais.local:20000")
        let leaLaunch = try service.launch(access: lea.access, position: 0, origins: origins, now: w.now)
        #expect(leaLaunch.launch.learnerId == w.pupils[0].id)
        try LaunchService(box: w.box).end(launchID: leaLaunch.launch.id, seconds: 2)
        // What content reports for Tom: completed with a score (as a cmi5 AU or an LRS client would).
        let tomLaunch = try service.launch(access: tom.access, position: 1, origins: origins, now: w.now)
        let actor = try w.box.pseudonymizer().account(forLocalUser: w.pupils[1].id)
        let statement: JSONValue = [
            "actor": actor, "verb": ["id": "http://adlnet.gov/expapi/verbs/passed"],
            "object": ["id": "https://example.org/lecture", "objectType": "Activity"],
            "result": ["score": ["scaled": 0.8], "completion": true, "success": true],
            "context": ["registration": .string(tomLaunch.launch.registration)],
        ]
        _ = try w.box.storeStatements([statement], authority: try w.box.authority(for: nil), credential: nil)
        #expect(throws: SeanceService.LaunchRefusal.noSuchActivity) { try service.launch(access: tom.access, position: 7, origins: origins) }

        let progress = try #require(try service.progress(seanceId: seance.id))
        #expect(progress.joinedCount == 2)
        let lines = Dictionary(uniqueKeysWithValues: progress.rows.map { ($0.pupil.firstName, $0) })
        #expect(lines["Léa"]?.cells[0].launched == true)
        #expect(lines["Léa"]?.cells[0].seconds == 2)
        #expect(lines["Léa"]?.cells[1].launched == false)
        #expect(lines["Tom"]?.cells[1].completed == true)
        #expect(lines["Tom"]?.cells[1].success == true)
        #expect(lines["Tom"]?.cells[1].score == 0.8)
        #expect(lines["Inès"]?.joinedAt == nil)
        #expect(progress.summaries[1].scores == [0.8])
        // One pupil's line alone (the pupil's page) is the same line.
        let tomOnly = try #require(try service.progress(seanceId: seance.id, pupilId: w.pupils[1].id))
        #expect(tomOnly.rows.count == 1 && tomOnly.rows.first == lines["Tom"])
        let csv = SeanceService.csv(progress)
        #expect(csv.hasPrefix("\u{FEFF}élève;ordre;activité"))
        #expect(csv.contains("Tom M.;2;fr.relais.test.lecture;oui;oui;oui;réussi;80;"))

        try w.box.endSeance(id: seance.id, by: nil, now: w.now)
        #expect(throws: PeopleError.self) { try w.box.seance(joinCode: join, address: "10.0.1.2", now: w.now) }
        #expect(try w.box.seance(id: seance.id)?.state == .terminee)  // Léa's device keeps a page that says so
        #expect(throws: SeanceService.LaunchRefusal.seanceClosed) { try service.launch(access: lea.access, position: 0, origins: origins) }
        // The report after the end reads the same records.
        #expect(try service.progress(seanceId: seance.id)?.rows == progress.rows)
    }

    @Test("copy makes a new draft with the same activities; delete removes the séance but keeps the pupils' statements")
    func copyAndDelete() throws {
        let w = try SeanceWorld()
        let seance = try w.preparedSeance()
        let copy = try w.box.copySeance(id: seance.id, teacherId: w.teacher.id, createdBy: w.teacher.id)
        #expect(copy.state == .brouillon && copy.title == "Fractions — CM2 B (copie)")
        #expect(try w.box.seanceActivities(seanceId: copy.id).map(\.bundleId) == ["fr.relais.test.fractions", "fr.relais.test.lecture"])
        try w.box.deleteSeance(id: seance.id)
        #expect(try w.box.seance(id: seance.id) == nil)
        #expect(try w.box.seances(ofTeacher: w.teacher.id).map(\.id) == [copy.id])
    }

    @Test("CSV fields a spreadsheet would run as formulas stay text")
    func csvInjection() {
        #expect(CSVTable.line(["=HYPERLINK(\"x\")", "-3", "a;b", "Léa"]) == "\"'=HYPERLINK(\"\"x\"\")\";-3;\"a;b\";Léa")
    }
}
