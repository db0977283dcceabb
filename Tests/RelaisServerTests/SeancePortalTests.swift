import Foundation
import Hummingbird
import HummingbirdTesting
import RelaisCore
import RelaisLaunch
import RelaisSeance
@testable import RelaisServer
import RelaisStore
import RelaisTestSupport
import Testing

/// The séance prête over HTTP: a teacher prepares and hands over, a substitute opens it with the
/// code and starts it, pupils join by code and name, the table follows, « Terminer » closes it.
struct SeancePortalTests {
    struct School: @unchecked Sendable {
        let t: TestBox
        let teacher: Person
        let otherTeacher: Person
        let classe: SchoolClass
        let pupils: [Pupil]
    }

    static func school() throws -> School {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.fractions", files: ["index.html": "<p>fractions</p>"]))
        try t.importBundle(try t.bundle(id: "fr.relais.test.lecture", files: ["index.html": "<p>lecture</p>"]))
        let teacher = try staffWithPassword(t, "Diallo", "Awa", role: .enseignant)
        let other = try staffWithPassword(t, "Robert", "Paul", role: .enseignant)
        let classe = try t.box.addClass(name: "CM2 B", level: "CM2", cycle: .cycle3)
        try t.box.assignTeacher(classId: classe.id, personId: teacher.id)
        let pupils = try ["Léa", "Tom", "Inès"].map { try t.box.addPupil(classId: classe.id, firstName: $0, lastInitial: "M") }
        return School(t: t, teacher: teacher, otherTeacher: other, classe: classe, pupils: pupils)
    }

    static func signIn(_ client: some TestClientProtocol, _ person: Person) async throws -> Device {
        let device = Device()
        try await device.get(client, "/connexion")
        let response = try await device.post(client, "/connexion", [("login", person.login), ("password", "un-mot-de-passe")])
        #expect(response.status == .seeOther)
        return device
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test func theWholeFlowFromPreparationToReport() async throws {
        let s = try Self.school()
        let box = s.t.box
        try await portalApp(s.t).test(.router) { client in
            // Monday: Mme Diallo prepares the séance.
            let teacher = try await Self.signIn(client, s.teacher)
            let form = try await teacher.get(client, "/enseignant/seances/nouvelle")
            #expect(form.status == .ok && Self.text(form).contains("CM2 B"))
            let created = try await teacher.post(client, "/enseignant/seances", [
                ("titre", "Fractions — CM2 B"), ("classe", s.classe.id), ("date", "2030-01-10"), ("debut", "10:00"), ("fin", "11:00"),
                ("consignes", "Faire l'activité 1 puis la 2."), ("planb", "Fiche 12."),
            ])
            #expect(created.status == .seeOther)
            let seancePath = try #require(created.headers[.location])
            let seanceID = String(seancePath.split(separator: "/").last!)
            let page = Self.text(try await teacher.get(client, seancePath))
            #expect(page.contains("Fractions — CM2 B") && page.contains("brouillon") && page.contains("Démo fr.relais.test.lecture"))
            for id in ["fr.relais.test.fractions", "fr.relais.test.lecture"] {
                #expect(try await teacher.post(client, seancePath + "/activites", [("ressource", id), ("element", "")]).status == .seeOther)
            }
            // An id that is not in the catalogue is refused, nothing added.
            #expect(try await teacher.post(client, seancePath + "/activites", [("ressource", "fr.inconnu"), ("element", "")]).status == .badRequest)
            #expect(try box.seanceActivities(seanceId: seanceID).count == 2)
            // Another teacher cannot see it.
            let other = try await Self.signIn(client, s.otherTeacher)
            #expect(try await other.get(client, seancePath).status == .forbidden)
            #expect(try await other.post(client, seancePath + "/confier", []).status == .forbidden)

            // « Confier »: the sheet with the code, shown once.
            let sheet = try await teacher.post(client, seancePath + "/confier", [])
            #expect(sheet.status == .ok)
            let sheetText = Self.text(sheet)
            let shown = try #require(sheetText.firstMatch(of: /class="code">([2-9A-Z]{3}-[2-9A-Z]{3})</).map { String($0.1) })
            #expect(sheetText.contains("data:image/svg+xml;base64,"))
            #expect(try box.seance(id: seanceID)?.state == .confiee)

            // Thursday: the substitute types it.
            let substitute = Device()
            #expect(try await substitute.get(client, "/remplacant/\(seanceID)").headers[.location] == "/remplacant")
            try await substitute.get(client, "/remplacant")
            let wrong = try await substitute.post(client, "/remplacant", [("code", "ZZZ-ZZZ")])
            #expect(wrong.status == .badRequest && Self.text(wrong).contains("Ce code n&#39;ouvre aucune séance"))
            let opened = try await substitute.post(client, "/remplacant", [("code", shown.lowercased())])
            #expect(opened.status == .seeOther && opened.headers[.location] == "/remplacant/\(seanceID)")
            #expect(opened.headers[.setCookie]?.contains("HttpOnly; SameSite=Strict") == true)
            let running = Self.text(try await substitute.get(client, "/remplacant/\(seanceID)"))
            #expect(running.contains("Faire l&#39;activité 1 puis la 2.") && running.contains("Léa M.") && running.contains("Démarrer"))
            // Nothing else: not the teacher's pages, not the catalogue's staff pages, not another séance.
            #expect(try await substitute.get(client, "/enseignant").status == .forbidden)
            #expect(try await substitute.get(client, seancePath).status != .ok)
            let elsewhere = try box.createSeance(SeanceDraft(title: "Autre", classId: s.classe.id), teacherId: s.teacher.id, createdBy: nil)
            #expect(try await substitute.get(client, "/remplacant/\(elsewhere.id)").status == .forbidden)

            #expect(try await substitute.post(client, "/remplacant/\(seanceID)/demarrer", []).status == .seeOther)
            let started = Self.text(try await substitute.get(client, "/remplacant/\(seanceID)"))
            let join = try #require(started.firstMatch(of: /id="code-seance">([2-9A-Z]{3}-[2-9A-Z]{3})</).map { String($0.1) })
            #expect(started.contains("/static/suivi.js"))

            // Pupils: the code, then their name.
            let lea = Device()
            try await lea.get(client, "/")
            let typed = try await lea.post(client, "/rejoindre", [("code", join)])
            #expect(typed.status == .seeOther)
            let namesPath = try #require(typed.headers[.location])
            let names = Self.text(try await lea.get(client, namesPath))
            #expect(names.contains("Léa M.") && names.contains("Tom M.") && names.contains("Inès M."))
            let picked = try await lea.post(client, namesPath, [("eleve", s.pupils[0].id)])
            #expect(picked.status == .seeOther && picked.headers[.location] == "/eleve")
            let mine = Self.text(try await lea.get(client, "/eleve"))
            #expect(mine.contains("Bonjour Léa M. !") && mine.contains("Démo fr.relais.test.fractions"))
            let launched = try await lea.post(client, "/eleve/activites/0", [])
            #expect(launched.status == .seeOther)
            let lecture = try #require(launched.headers[.location])
            #expect(lecture.hasPrefix("/lecture/"))
            #expect(Self.text(try await lea.get(client, lecture)).contains("href=\"/eleve\""))
            // The names page marks who is already in (a second device picking « Léa » is visible).
            let again = Device()
            #expect(Self.text(try await again.get(client, namesPath)).contains("Léa M.<span class=\"deja\"> (déjà entré·e)</span>"))
            // A pupil cannot reach staff or substitute pages.
            #expect(try await lea.get(client, "/remplacant/\(seanceID)").status == .forbidden)
            #expect(try await lea.get(client, "/enseignant").status == .forbidden)

            // The live table shows Léa's launch.
            let table = Self.text(try await substitute.get(client, "/remplacant/\(seanceID)/suivi"))
            #expect(table.contains("1 élève(s) sur 3 ont rejoint la séance"))
            #expect(table.contains("<th scope=\"row\">Léa M.</th><td>oui</td><td class=\"p-cours\">"))

            // « Terminer »: the join code is refused, Léa's device loses the séance.
            // Ending asks for the tick; without it nothing changes.
            #expect(try await substitute.post(client, "/remplacant/\(seanceID)/terminer", []).status == .ok)
            #expect(try box.seance(id: seanceID)?.state == .enCours)
            #expect(try await substitute.post(client, "/remplacant/\(seanceID)/terminer", [("confirmer", "oui")]).status == .seeOther)
            let tom = Device()
            try await tom.get(client, "/")
            #expect(try await tom.post(client, "/rejoindre", [("code", join)]).status == .badRequest)
            let over = try await lea.get(client, "/eleve")
            #expect(over.status == .gone && Self.text(over).contains("Cette séance est terminée."))
            #expect(try await lea.post(client, "/eleve/activites/0", []).status == .gone)

            // Friday: the report, same numbers, and the CSV.
            let report = Self.text(try await teacher.get(client, seancePath))
            #expect(report.contains("Rapport") && report.contains("1 élève(s) sur 3 ont rejoint la séance"))
            // Deleting asks for the tick too (checked after the report below).
            let csv = try await teacher.get(client, seancePath + "/rapport.csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(Self.text(csv).contains("Léa M.;1;Démo fr.relais.test.fractions;oui;oui;non;;;"))
            #expect(try await teacher.post(client, seancePath + "/supprimer", []).status == .badRequest)
            #expect(try box.seance(id: seanceID) != nil)
            #expect(try await teacher.post(client, seancePath + "/supprimer", [("confirmer", "oui")]).status == .seeOther)
            #expect(try box.seance(id: seanceID) == nil)
        }
    }

    @Test func handOverCodesAreThrottledWith429AndRetryAfter() async throws {
        let s = try Self.school()
        try await portalApp(s.t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/remplacant")
            for _ in 0..<CodeThrottle.perAddress {
                #expect(try await device.post(client, "/remplacant", [("code", "ZZZ-ZZZ")]).status == .badRequest)
            }
            let throttled = try await device.post(client, "/remplacant", [("code", "ZZZ-ZZZ")])
            #expect(throttled.status == .tooManyRequests)
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Join codes from the same address too.
            try await device.get(client, "/")
            #expect(try await device.post(client, "/rejoindre", [("code", "ABC-DEF")]).status == .tooManyRequests)
        }
    }

    @Test func accesLibreStartsAtOnceWithoutATeacher() async throws {
        let s = try Self.school()
        try await portalApp(s.t).test(.router) { client in
            let teacher = try await Self.signIn(client, s.teacher)
            let home = Self.text(try await teacher.get(client, "/enseignant"))
            #expect(home.contains("Accès libre") && home.contains("Préparer une séance"))
            let opened = try await teacher.post(client, "/enseignant/acces-libre", [("classe", s.classe.id), ("ressources[]", "fr.relais.test.lecture")])
            #expect(opened.status == .seeOther)
            let path = try #require(opened.headers[.location])
            let page = Self.text(try await teacher.get(client, path))
            #expect(page.contains("Accès libre — CM2 B") && page.contains("id=\"code-seance\""))
            let seance = try #require(try s.t.box.allSeances().first)
            #expect(seance.kind == .libre && seance.teacherId == nil && seance.state == .enCours)
        }
    }

    @Test func pupilFacingTextIsEscaped() async throws {
        let s = try Self.school()
        let hostile = try s.t.box.addPupil(classId: s.classe.id, firstName: "<script>x</script>", lastInitial: "Z")
        let seance = try s.t.box.createSeance(
            SeanceDraft(title: "<img src=x onerror=alert(1)>", classId: s.classe.id, instructions: "<b>gras</b>"), teacherId: s.teacher.id, createdBy: nil)
        try s.t.box.addSeanceActivity(seanceId: seance.id, bundleId: "fr.relais.test.lecture", itemId: nil, title: "L")
        _ = try s.t.box.handOver(seanceId: seance.id, by: nil)
        let join = try s.t.box.startSeance(id: seance.id, by: nil)
        try await portalApp(s.t).test(.router) { client in
            let device = Device()
            let names = Self.text(try await device.get(client, "/s/\(join)"))
            #expect(!names.contains("<script>x</script>") && names.contains("&lt;script&gt;x&lt;/script&gt;"))
            #expect(!names.contains("<img src=x") && names.contains("&lt;img src=x"))
            #expect(try await device.post(client, "/s/\(join)", [("eleve", hostile.id)]).status == .seeOther)
        }
    }
}

/// A séance can name one SCO of a multi-SCO course; moving to another SCO inside the player stays
/// in the séance's table, and stops with the séance.
struct SeanceMultiSCOTests {
    @Test func aSeanceActivityOpensItsSCOAndNavigationStaysInTheSeance() throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install("scorm/ContentPackagingOneFilePerSCO_SCORM20043rdEdition.zip", into: t)
        let box = t.box
        let teacher = try box.addStaff(lastName: "Diallo", firstName: "Awa", role: .enseignant)
        let classe = try box.addClass(name: "CM2 B")
        let lea = try box.addPupil(classId: classe.id, firstName: "Léa", lastInitial: "M")
        let service = SeanceService(box: box)
        let choices = service.choices(of: entry)
        #expect(choices.count > 3)  // the course, then each SCO
        #expect(choices[0].itemId == nil)
        let second = choices[2]
        let seance = try box.createSeance(SeanceDraft(title: "Golf", classId: classe.id), teacherId: teacher.id, createdBy: nil)
        try box.addSeanceActivity(seanceId: seance.id, bundleId: entry.manifest.id, itemId: second.itemId, title: second.title)
        try box.addSeanceActivity(seanceId: seance.id, bundleId: entry.manifest.id, itemId: choices[3].itemId, title: choices[3].title)
        _ = try box.handOver(seanceId: seance.id, by: nil)
        _ = try box.startSeance(id: seance.id, by: nil)
        let access = try box.joinSeance(seanceId: seance.id, pupilId: lea.id)
        let outcome = try service.launch(access: access.access, position: 0, origins: testOrigins)
        #expect(outcome.launch.itemId == second.itemId)
        // The pupil moves to the séance's second activity's SCO inside the player: its cell.
        let moved = try LaunchService(box: box).launchItem(from: outcome.launch.id, item: try #require(choices[3].itemId), origins: testOrigins)
        #expect(try box.seanceOfLaunch(launchId: moved.launch.id)?.position == 1)
        // …and to a SCO the séance does not name: the activity it came from.
        let other = try LaunchService(box: box).launchItem(from: moved.launch.id, item: try #require(choices[1].itemId), origins: testOrigins)
        #expect(try box.seanceOfLaunch(launchId: other.launch.id)?.position == 1)
        let progress = try #require(try service.progress(seanceId: seance.id))
        #expect(progress.rows[0].cells.map(\.launched) == [true, true])
        try box.endSeance(id: seance.id, by: nil)
        #expect(throws: LaunchServiceError.self) { try LaunchService(box: box).launchItem(from: other.launch.id, item: try #require(choices[1].itemId), origins: testOrigins) }
    }
}

/// A séance activity that is a whole course of several SCOs is done when the course is, not when
/// its first SCO says « completed, passed ».
struct SeanceCourseRollupTests {
    @Test func oneSCOOfFiveDoesNotCompleteTheWholeCourseCell() throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install("scorm/SequencingForcedSequential_SCORM20043rdEdition.zip", into: t)
        let box = t.box
        let classe = try box.addClass(name: "CM2 B")
        let tom = try box.addPupil(classId: classe.id, firstName: "Tom", lastInitial: "B")
        let seance = try box.createSeance(SeanceDraft(title: "Golf", classId: classe.id), teacherId: nil, kind: .libre, createdBy: nil)
        try box.addSeanceActivity(seanceId: seance.id, bundleId: entry.manifest.id, itemId: nil, title: "Golf")
        _ = try box.startSeance(id: seance.id, by: nil)
        let access = try box.joinSeance(seanceId: seance.id, pupilId: tom.id)
        let seances = SeanceService(box: box)
        let launcher = LaunchService(box: box)
        let ids = try launcher.structure(of: entry).map(\.id)
        var launch = try seances.launch(access: access.access, position: 0, origins: testOrigins)
        func finish(_ id: String) throws {
            try launcher.commitScorm(launchID: launch.launch.id, event: "initialize", cmi: try launcher.scormModel(launchID: launch.launch.id))
            try launcher.commitScorm(launchID: launch.launch.id, event: "finish", cmi: [
                "cmi.completion_status": "completed", "cmi.success_status": "passed", "cmi.score.scaled": "0.9", "cmi.session_time": "PT30S", "cmi.exit": "",
            ])
        }
        try finish(ids[0])
        var cell = try #require(try seances.progress(seanceId: seance.id)?.rows.first?.cells.first)
        #expect(cell.launched && !cell.completed && cell.success == nil && cell.score == nil)
        #expect(cell.seconds == 30)
        for id in ids.dropFirst() {
            launch = try launcher.launchItem(from: launch.launch.id, item: id, origins: testOrigins)
            try finish(id)
        }
        cell = try #require(try seances.progress(seanceId: seance.id)?.rows.first?.cells.first)
        #expect(cell.completed)
        #expect(cell.seconds == 30 * Double(ids.count))
    }
}
