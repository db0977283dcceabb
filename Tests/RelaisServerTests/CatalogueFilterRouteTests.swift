import Foundation
import HummingbirdTesting
import RelaisArchive
import RelaisCore
@testable import RelaisServer
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

/// The sample bundles of the repository (`bundles/`), packed and imported as the school would.
enum SampleBundles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../bundles").standardizedFileURL.path
    static let calcul = "fr.relais.demo.calcul-mental"  // solution, cycles 2–3, requires prise-en-main
    static let fiche = "fr.relais.demo.fiche-fractions"  // solution, cycle 3, pdf
    static let priseEnMain = "fr.relais.demo.prise-en-main"  // training, scorm12
    static let ecrire = "fr.relais.demo.ecrire-seance"  // training, cmi5

    static func installAll(into t: TestBox) throws {
        for name in ["calcul-mental", "fiche-fractions", "prise-en-main", "ecrire-seance"] {
            let output = t.folder.appendingPathComponent(UUID().uuidString + ".relais").path
            try BundlePacker.pack(source: root + "/" + name, output: output)
            try t.importBundle(output)
        }
    }
}

struct CatalogueFilterRouteTests {
    func cards(_ html: String) -> [String] {
        html.matches(of: /data-bundle="([^"]+)"/).map { String($0.output.1) }
    }

    @Test func theCatalogueFiltersByCycleAndSearchAndKeepsTheChoices() async throws {
        let t = try TestBox()
        try SampleBundles.installAll(into: t)
        try await portalApp(t).test(.router) { client in
            let all = String(buffer: try await client.execute(uri: "/catalogue", method: .get) { $0 }.body)
            #expect(all.contains("4 ressources sur 4"))
            #expect(all.contains("<option value=\"cycle3\">Cycle 3</option>"))
            #expect(all.contains("<option value=\"mathématiques\">mathématiques</option>"), "subjects of the catalogue")
            #expect(!all.contains("Effacer les filtres"))

            let response = try await client.execute(uri: "/catalogue?cycle=cycle3&q=FRACTIONS", method: .get) { $0 }
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(cards(html) == [SampleBundles.fiche])
            #expect(html.contains("1 ressource sur 4"))
            #expect(html.contains("<option value=\"cycle3\" selected>Cycle 3</option>"))
            #expect(html.contains("name=\"q\" value=\"FRACTIONS\""))
            #expect(html.contains(">Effacer les filtres</a>"))

            let trainings = String(buffer: try await client.execute(uri: "/catalogue?type=training&cycle=lycee", method: .get) { $0 }.body)
            #expect(Set(cards(trainings)) == [SampleBundles.priseEnMain, SampleBundles.ecrire])
            #expect(!trainings.contains("<section id=\"solutions\">"))

            let accents = String(buffer: try await client.execute(uri: "/catalogue?discipline=MATHEMATIQUES&q=calcul+mental", method: .get) { $0 }.body)
            #expect(cards(accents) == [SampleBundles.calcul], "a browser's form sends a space as +")
            #expect(String(buffer: try await client.execute(uri: "/catalogue?q=calcul%20mental", method: .get) { $0 }.body).contains("1 ressource sur 4"))
            #expect(String(buffer: try await client.execute(uri: "/catalogue?q=%ZZ", method: .get) { $0 }.body).contains("4 ressources sur 4"))
        }
    }

    @Test func noMatchSaysSoAndUnknownValuesAreIgnored() async throws {
        let t = try TestBox()
        try SampleBundles.installAll(into: t)
        try await portalApp(t).test(.router) { client in
            let none = String(buffer: try await client.execute(uri: "/catalogue?q=z%C3%A8bre&lang=en", method: .get) { $0 }.body)
            #expect(cards(none).isEmpty)
            #expect(none.contains("No resource matches these filters. <a href=\"/catalogue?lang=en\">Clear the filters</a>"))
            let odd = try await client.execute(uri: "/catalogue?cycle=cycle9&type=roman&standard=flash&licence=bof&public=PARENT", method: .get) { $0 }
            #expect(odd.status == .ok)
            #expect(String(buffer: odd.body).contains("4 ressources sur 4"))
            // The JSON API keeps refusing an unknown public, as before.
            #expect(try await client.execute(uri: "/api/v1/catalog?public=PARENT", method: .get) { $0 }.status == .badRequest)
        }
    }

    @Test func aTeacherIsAdvisedTheTrainingUntilSheCompletesItAndSeesHerProgress() async throws {
        let t = try TestBox()
        let box = t.box
        try SampleBundles.installAll(into: t)
        let teacher = try staffWithPassword(t, "Diallo", "Awa", role: .enseignant)
        try await portalApp(t).test(.router) { client in
            // Signed out: no advice (nobody to advise).
            let anonymous = String(buffer: try await client.execute(uri: "/catalogue", method: .get) { $0 }.body)
            #expect(!anonymous.contains("Formation conseillée"))

            let device = Device()
            try await device.get(client, "/connexion")
            try await device.post(client, "/connexion", [("login", teacher.login), ("password", "un-mot-de-passe")])
            let catalogue = String(buffer: try await device.get(client, "/catalogue").body)
            #expect(catalogue.contains("<p class=\"advice\">Formation conseillée avant usage : <a href=\"http://localhost/lancer/fr.relais.demo.prise-en-main\">Prendre en main Relais</a></p>"))
            #expect(catalogue.components(separatedBy: "class=\"advice\"").count == 2, "only calcul-mental requires a training")
            var home = String(buffer: try await device.get(client, "/enseignant").body)
            #expect(home.contains("Mes modules de formation"))
            #expect(home.contains("<tr data-training=\"fr.relais.demo.prise-en-main\"><th scope=\"row\">Prendre en main Relais</th><td>Non commencé</td>"))
            #expect(home.contains("Formation conseillée avant usage"), "the teacher's catalogue advises it too")
            #expect(try box.existingStaffLearner(personId: teacher.id) == nil, "a page view creates no learner")

            // She opens both modules (as herself), and completes one: the SCORM runtime's statement.
            #expect(try await device.post(client, "/lancer/\(SampleBundles.priseEnMain)", []).status == .seeOther)
            #expect(try await device.post(client, "/lancer/\(SampleBundles.ecrire)", []).status == .seeOther)
            let me = try #require(try box.existingStaffLearner(personId: teacher.id))
            let launch = try #require(try box.latestLaunch(learnerId: me.id, bundleId: SampleBundles.priseEnMain))
            home = String(buffer: try await device.get(client, "/enseignant").body)
            #expect(home.contains("Prendre en main Relais</th><td>Commencé</td>"))

            let completed: JSONValue = [
                "actor": try box.pseudonymizer().account(forLocalUser: me.localUserID),
                "verb": ["id": "http://adlnet.gov/expapi/verbs/completed"],
                "object": ["id": "https://relais.invalid/activities/fr.relais.demo.prise-en-main", "objectType": "Activity"],
                "context": ["registration": .string(launch.registration)],
            ]
            let when = Date(timeIntervalSince1970: 1_780_000_000)
            try box.storeStatements([completed], authority: ["account": ["homePage": "https://relais.invalid/0750654D", "name": "relais"]], credential: nil, now: when)
            home = String(buffer: try await device.get(client, "/enseignant").body)
            #expect(home.contains("Prendre en main Relais</th><td class=\"ok\">Terminé le 28/05/2026</td>"))
            #expect(!home.contains("Formation conseillée avant usage"))
            let after = String(buffer: try await device.get(client, "/catalogue").body)
            #expect(!after.contains("Formation conseillée avant usage"))
            // Another teacher is still advised: completions are per person.
        }
        let other = try staffWithPassword(t, "Robert", "Marc", role: .enseignant)
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/connexion")
            try await device.post(client, "/connexion", [("login", other.login), ("password", "un-mot-de-passe")])
            #expect(String(buffer: try await device.get(client, "/catalogue").body).contains("Formation conseillée avant usage"))
        }
    }
}
