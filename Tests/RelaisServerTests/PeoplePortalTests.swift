import Foundation
import Hummingbird
import HummingbirdTesting
import RelaisContent
import RelaisCore
@testable import RelaisServer
import RelaisStore
import RelaisTestSupport
import Testing

/// A device talking to the portal: its cookies, and the CSRF field of the last page it read.
final class Device: @unchecked Sendable {
    var cookies: [String: String] = [:]
    var csrf = ""

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    func take(_ response: TestResponse) {
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = String(pair[1]) }
        }
        if let match = String(buffer: response.body).firstMatch(of: /name="csrf" value="([0-9a-f]+)"/) { csrf = String(match.1) }
    }

    @discardableResult
    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookies.isEmpty ? [:] : [.cookie: cookieHeader]) { $0 }
        take(response)
        return response
    }

    /// A form POST from the portal's own page (Origin: the portal), with the CSRF field unless told.
    @discardableResult
    func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)], csrf: Bool = true, origin: String = "http://localhost") async throws -> TestResponse {
        let all = fields + (csrf ? [("csrf", self.csrf)] : [])
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .origin: origin]
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { $0 }
        take(response)
        return response
    }
}

/// A staff member with a password (as the admin's reset code and the sign-in page give one).
func staffWithPassword(_ t: TestBox, _ last: String, _ first: String, role: StaffRole, password: String = "un-mot-de-passe") throws -> Person {
    let person = try t.box.addStaff(lastName: last, firstName: first, role: role)
    let code = try t.box.issueResetCode(personId: person.id)
    return try t.box.redeemResetCode(login: person.login, code: code, newPassword: password)
}

struct PeoplePortalTests {
    @Test func theFirstVisitToAdminCreatesTheAdminWithTheSetupCodeOnce() async throws {
        let t = try TestBox()
        let box = t.box
        let code = try #require(box.adminSetupCode)
        try await portalApp(t).test(.router) { client in
            let device = Device()
            let page = try await device.get(client, "/admin")
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("name=\"code\""))
            let wrong = try await device.post(client, "/admin/installation", [("code", "AAAA-BBBB-CC"), ("nom", "Morvan"), ("prenom", "Claire"), ("password", "un-bon-mot-de-passe"), ("confirm", "un-bon-mot-de-passe")])
            #expect(wrong.status == .badRequest)
            #expect(try box.adminSetupPending())
            let made = try await device.post(client, "/admin/installation", [("code", code), ("nom", "Morvan"), ("prenom", "Claire"), ("password", "un-bon-mot-de-passe"), ("confirm", "un-bon-mot-de-passe")])
            #expect(made.status == .seeOther)
            #expect(made.headers[.location] == "/admin")
            #expect(made.headers[.setCookie]?.contains("HttpOnly; SameSite=Strict") == true)
            #expect(try await device.get(client, "/admin").status == .ok)
            #expect(try box.adminSetupPending() == false)
            // Another device, without a session, meets the sign-in page now, not the setup.
            let other = try await Device().get(client, "/admin")
            #expect(other.status == .seeOther)
            #expect(other.headers[.location]?.hasPrefix("/connexion") == true)
        }
    }

    @Test func aTeacherSignsInOnANewSessionSeesTheirClassesAndSignsOut() async throws {
        let t = try TestBox()
        let box = t.box
        let teacher = try staffWithPassword(t, "Belkacem", "Karim", role: .enseignant)
        _ = try staffWithPassword(t, "Morvan", "Claire", role: .admin)
        let ce2 = try box.addClass(name: "CE2")
        try box.assignTeacher(classId: ce2.id, personId: teacher.id)
        _ = try box.addPupil(classId: ce2.id, firstName: "Léa", lastInitial: "B")
        try await portalApp(t).test(.router) { client in
            let device = Device()
            device.cookies["relais_session"] = "fixe-par-un-bundle"  // a cookie planted for the box's host
            try await device.get(client, "/connexion")
            let refused = try await device.post(client, "/connexion", [("login", teacher.login), ("password", "pas-le-bon-mot")])
            #expect(refused.status == .unauthorized)
            #expect(String(buffer: refused.body).contains("Identifiant ou mot de passe incorrect"))
            let unknown = try await device.post(client, "/connexion", [("login", "personne.inconnue"), ("password", "pas-le-bon-mot")])
            #expect(String(buffer: unknown.body).contains("Identifiant ou mot de passe incorrect"))  // the same words
            let signedIn = try await device.post(client, "/connexion", [("login", teacher.login), ("password", "un-mot-de-passe")])
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/enseignant")
            #expect(device.cookies["relais_session"] != "fixe-par-un-bundle")
            let home = try await device.get(client, "/enseignant")
            #expect(home.status == .ok)
            let html = String(buffer: home.body)
            #expect(html.contains("CE2") && html.contains("Léa"))
            #expect(html.contains("Karim Belkacem"))
            // A teacher is not an admin.
            #expect(try await device.get(client, "/admin").status == .forbidden)
            try await device.post(client, "/deconnexion", [])
            let after = try await device.get(client, "/enseignant")
            #expect(after.status == .seeOther)
            #expect(after.headers[.location]?.hasPrefix("/connexion") == true)
        }
    }

    @Test func wrongPasswordsAreThrottledWith429AndRetryAfter() async throws {
        let t = try TestBox()
        let box = t.box
        let teacher = try staffWithPassword(t, "Garnier", "Sophie", role: .enseignant)
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/connexion")
            for _ in 0..<5 { try await device.post(client, "/connexion", [("login", teacher.login), ("password", "pas-le-bon-mot")]) }
            let blocked = try await device.post(client, "/connexion", [("login", teacher.login), ("password", "un-mot-de-passe")])
            #expect(blocked.status == .tooManyRequests)
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(blocked.headers[.setCookie]?.contains("relais_session") != true)
        }
    }

    @Test func stateChangesNeedTheFormTokenAndThePortalsOrigin() async throws {
        let t = try TestBox()
        let box = t.box
        _ = try staffWithPassword(t, "Morvan", "Claire", role: .admin)
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/connexion")
            #expect(try await device.post(client, "/connexion", [("login", "claire.morvan"), ("password", "un-mot-de-passe")]).status == .seeOther)
            try await device.get(client, "/admin")
            #expect(try await device.post(client, "/admin/classes", [("nom", "Sans jeton")], csrf: false).status == .badRequest)
            #expect(try await device.post(client, "/admin/classes", [("nom", "Jeton faux"), ("csrf", String(repeating: "0", count: 64))], csrf: false).status == .badRequest)
            #expect(try await device.post(client, "/admin/classes", [("nom", "Depuis un bundle")], origin: "http://localhost:30001").status == .forbidden)
            #expect(try box.classes().isEmpty)
            #expect(try await device.post(client, "/admin/classes", [("nom", "CM2 B"), ("niveau", "CM2"), ("cycle", "cycle3")]).status == .ok)
            #expect(try box.classes().map(\.name) == ["CM2 B"])
        }
    }

    @Test func aHostileClassOrPupilNameRendersAsTextEverywhere() async throws {
        let t = try TestBox()
        let box = t.box
        let hostile = "<img src=x onerror=alert(1)>"
        let admin = try staffWithPassword(t, "Morvan", "Claire", role: .admin)
        let schoolClass = try box.addClass(name: hostile)
        try box.assignTeacher(classId: schoolClass.id, personId: admin.id)
        _ = try box.addPupil(classId: schoolClass.id, firstName: hostile, lastInitial: "X")
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/connexion")
            try await device.post(client, "/connexion", [("login", admin.login), ("password", "un-mot-de-passe")])
            for page in ["/admin", "/admin/classes/\(schoolClass.id)", "/enseignant"] {
                let html = String(buffer: try await device.get(client, page).body)
                #expect(!html.contains("<img src=x"), "\(page)")
                #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "\(page)")
            }
        }
        // Viewing a class's pupils is audit-logged.
        #expect(try box.auditLog().contains { $0.action == "classe.consultee" && $0.classId == schoolClass.id })
    }

    @Test func aStaffCSVIsPreviewedThenImportedOnceAndABadOneImportsNothing() async throws {
        let t = try TestBox()
        let box = t.box
        let admin = try staffWithPassword(t, "Morvan", "Claire", role: .admin)
        let good = Array("\u{FEFF}Nom;Prénom;Rôle;Email\r\nBelkacem;Karim;enseignant;\r\nGarnier;Sophie;Enseignante;s.garnier@example.org\r\n".utf8)
        let bad = Array("Nom;Prénom;Rôle\r\nBelkacem;Karim;enseignant\r\nGarnier;;cuisinier\r\n".utf8)
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/connexion")
            try await device.post(client, "/connexion", [("login", admin.login), ("password", "un-mot-de-passe")])
            try await device.get(client, "/admin")
            func upload(_ bytes: [UInt8]) async throws -> TestResponse {
                let boundary = "----relais-test"
                var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(device.csrf)\r\n".utf8)
                body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"personnels.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
                body += bytes + Array("\r\n--\(boundary)--\r\n".utf8)
                let response = try await client.execute(
                    uri: "/admin/personnel/import", method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: device.cookieHeader, .origin: "http://localhost"],
                    body: ByteBuffer(bytes: body)) { $0 }
                return response
            }
            let refused = try await upload(bad)
            #expect(refused.status == .badRequest)
            let text = String(buffer: refused.body)
            #expect(text.contains("Ligne 3") && text.contains("prénom"))
            #expect(try box.staff().count == 1)
            let preview = try await upload(good)
            #expect(preview.status == .ok)
            let token = try #require(String(buffer: preview.body).firstMatch(of: /name="token" value="([0-9a-f]+)"/)?.1)
            #expect(try box.staff().count == 1)  // nothing before « Confirmer »
            #expect(try await device.post(client, "/admin/import/confirmer", [("token", String(token))]).status == .ok)
            #expect(try box.staff().count == 3)
            // The token is used once; the same file again changes nothing.
            #expect(try await device.post(client, "/admin/import/confirmer", [("token", String(token))]).status == .badRequest)
            let again = try await upload(good)
            let second = try #require(String(buffer: again.body).firstMatch(of: /name="token" value="([0-9a-f]+)"/)?.1)
            try await device.post(client, "/admin/import/confirmer", [("token", String(second))])
            #expect(try box.staff().count == 3)
        }
    }

    @Test func aSignedInTeacherLaunchesAsHerselfNotAsAGuest() async throws {
        let t = try TestBox()
        let box = t.box
        try t.importBundle(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "x"]))
        let teacher = try staffWithPassword(t, "Diallo", "Awa", role: .enseignant)
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/connexion")
            try await device.post(client, "/connexion", [("login", teacher.login), ("password", "un-mot-de-passe")])
            let form = try await device.get(client, "/lancer/fr.relais.test.calcul")
            #expect(String(buffer: form.body).contains("value=\"Awa\""))
            let launched = try await device.post(client, "/lancer/fr.relais.test.calcul", [])
            #expect(launched.status == .seeOther)
            #expect(launched.headers[.location]?.hasPrefix("/lecture/") == true)
            #expect(launched.headers[.setCookie] == nil)  // no first name remembered on a shared device
        }
        let staffLearner = try box.staffLearner(personId: teacher.id)
        #expect(try box.latestLaunch(learnerId: staffLearner.localUserID, bundleId: "fr.relais.test.calcul") != nil)
    }

    @Test func aFormThatDoesNotDecodeOrIsTooLargeGetsAPageNotA500() async throws {
        let t = try TestBox()
        let box = t.box
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/connexion")
            for body in ["login=a%zz&password=x", "login[=a&csrf=\(device.csrf)"] {
                let response = try await client.execute(
                    uri: "/connexion", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: device.cookieHeader, .origin: "http://localhost"],
                    body: ByteBuffer(string: body)) { $0 }
                #expect(response.status == .badRequest, "\(body)")
                #expect(String(buffer: response.body).contains("Le formulaire envoyé est incomplet ou invalide"))
            }
            let huge = try await client.execute(
                uri: "/connexion", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: device.cookieHeader, .origin: "http://localhost"],
                body: ByteBuffer(string: String(repeating: "a", count: 200 * 1024))) { $0 }
            #expect(huge.status == .contentTooLarge)
            #expect(String(buffer: huge.body).contains("<html"))
        }
        #expect(try box.signInAllowed(login: "a", address: "127.0.0.1") == nil)  // nothing was counted
    }

    @Test func theCatalogueShowsWhoIsSignedIn() async throws {
        let t = try TestBox()
        let teacher = try staffWithPassword(t, "Diallo", "Awa", role: .enseignant)
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/connexion")
            try await device.post(client, "/connexion", [("login", teacher.login), ("password", "un-mot-de-passe")])
            for page in ["/catalogue", "/lancer/fr.inconnu"] {
                let html = String(buffer: try await device.get(client, page).body)
                #expect(html.contains("Awa Diallo"), "\(page)")
                #expect(html.contains("Se déconnecter"), "\(page)")
            }
        }
    }

    @Test func signingInAfterARefusedPageComesBackToIt() async throws {
        let t = try TestBox()
        let box = t.box
        let admin = try staffWithPassword(t, "Morvan", "Claire", role: .admin)
        let schoolClass = try box.addClass(name: "CM1")
        try await portalApp(t).test(.router) { client in
            let device = Device()
            let refused = try await device.get(client, "/admin/classes/\(schoolClass.id)")
            let location = try #require(refused.headers[.location])
            #expect(location.hasPrefix("/connexion?suite="))
            let form = String(buffer: try await device.get(client, location).body)
            #expect(form.contains("action=\"/connexion?suite=%2Fadmin%2Fclasses%2F"))
            let signedIn = try await device.post(client, location, [("login", admin.login), ("password", "un-mot-de-passe")])
            #expect(signedIn.headers[.location] == "/admin/classes/\(schoolClass.id)")
            // Never another site.
            let elsewhere = Device()
            try await elsewhere.get(client, "/connexion?suite=//evil.example/")
            let away = try await elsewhere.post(client, "/connexion?suite=//evil.example/", [("login", admin.login), ("password", "un-mot-de-passe")])
            #expect(away.headers[.location] == "/admin")
        }
    }

    @Test func aValueTheStoreRefusesGetsAPageAndNothingIsWritten() async throws {
        let t = try TestBox()
        let box = t.box
        let code = try #require(box.adminSetupCode)
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/admin")
            let long = String(repeating: "x", count: 200)  // past the page's maxlength
            let refused = try await device.post(
                client, "/admin/installation", [("code", code), ("nom", long), ("prenom", "Claire"), ("password", "un-bon-mot-de-passe"), ("confirm", "un-bon-mot-de-passe")])
            #expect(refused.status == .badRequest)
            #expect(String(buffer: refused.body).contains("incomplet ou invalide"))
        }
        #expect(try box.adminSetupPending())
    }
}

/// Irreversible admin actions ask first: the first POST answers « Êtes-vous sûr ? », only the
/// confirmation's POST acts.
struct AdminConfirmationTests {
    @Test func removingAPupilDeletingAClassAndDisablingAnAccountAskFirst() async throws {
        let t = try TestBox()
        let box = t.box
        let admin = try staffWithPassword(t, "Morvan", "Claire", role: .admin)
        let teacher = try staffWithPassword(t, "Belkacem", "Karim", role: .enseignant)
        let classe = try box.addClass(name: "CM1")
        let lina = try box.addPupil(classId: classe.id, firstName: "Lina", lastInitial: "B")
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/connexion")
            try await device.post(client, "/connexion", [("login", admin.login), ("password", "un-mot-de-passe")])
            try await device.get(client, "/admin")  // the session's CSRF token
            for (path, question) in [
                ("/admin/classes/\(classe.id)/eleves/\(lina.id)/retirer", "Retirer Lina B. ?"),
                ("/admin/classes/\(classe.id)/supprimer", "Supprimer la classe CM1 ?"),
                ("/admin/personnel/\(teacher.id)/desactiver", "Désactiver le compte de Karim Belkacem ?"),
            ] {
                let asked = try await device.post(client, path, [])
                let html = String(buffer: asked.body)
                #expect(asked.status == .ok && html.contains(question), "\(path)")
                #expect(html.contains("name=\"confirmer\" value=\"oui\"") && html.contains("action=\"\(path)\""), "\(path)")
            }
            // Nothing happened yet.
            #expect(try box.pupil(id: lina.id) != nil && box.schoolClass(id: classe.id) != nil)
            #expect(try box.person(id: teacher.id)?.disabled == false)
            try await device.post(client, "/admin/personnel/\(teacher.id)/desactiver", [("confirmer", "oui")])
            #expect(try box.person(id: teacher.id)?.disabled == true)
            try await device.post(client, "/admin/classes/\(classe.id)/eleves/\(lina.id)/retirer", [("confirmer", "oui")])
            #expect(try box.pupil(id: lina.id) == nil)
            try await device.post(client, "/admin/classes/\(classe.id)/supprimer", [("confirmer", "oui")])
            #expect(try box.schoolClass(id: classe.id) == nil)
        }
    }
}
