import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import RelaisContent
import HummingbirdTesting
import Logging
@testable import RelaisLaunch
@testable import RelaisServer
import RelaisCore
import RelaisTestSupport
import Testing

/// The portal of a test box. The router test client runs the app's services too, so each test
/// gets its own free content port (tests run in parallel).
func portalApp(_ t: TestBox) throws -> some ApplicationProtocol {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return Application(router: try buildRouter(box: t.box, bundleOrigins: BundleOriginMap(ports: try testBundlePorts(t)), logger: logger))
}

/// The origin port each bundle of a test box gets in router tests (no content server listens
/// there: the ports only name the origins).
func testBundlePorts(_ t: TestBox) throws -> [String: Int] {
    Dictionary(uniqueKeysWithValues: try t.box.bundleIDs().enumerated().map { ($0.element, 30000 + $0.offset) })
}

/// The origin of one bundle of a test box, as router tests see it.
func testBundleOrigin(_ t: TestBox, _ id: String) throws -> String {
    "http://localhost:\(try #require(try testBundlePorts(t)[id]))"
}

struct PortalTests {

    func app(_ t: TestBox) throws -> some ApplicationProtocol { try portalApp(t) }

    struct CatalogItem: Decodable {
        let id, version, kind, title, standard, launchUrl: String
        let licensed: Bool
        let contentOrigin: String?
    }

    @Test func healthSaysOkWithVersionAndUAI() async throws {
        let t = try TestBox()
        try await app(t).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let health = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
                #expect(health?["status"] == "ok")
                #expect(health?["uai"] == "0750654D")
                #expect(health?["version"]?.isEmpty == false)
            }
        }
    }

    @Test func catalogListsBundlesWithALaunchURLThatRedirectsToTheContentOriginOfTheHostUsed() async throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "x", "dossier/page 1.html": "y"], entry: "dossier/page 1.html"))
        let origin = try testBundleOrigin(t, "fr.relais.test.calcul")
        try await app(t).test(.router) { client in
            // The router test client always sends the authority "localhost".
            try await client.execute(uri: "/api/v1/catalog", method: .get) { response in
                #expect(response.status == .ok)
                let items = try JSONDecoder().decode([CatalogItem].self, from: Data(buffer: response.body))
                #expect(items.count == 1)
                #expect(items.first?.id == "fr.relais.test.calcul")
                #expect(items.first?.kind == "solution")
                #expect(items.first?.standard == "html5")
                #expect(items.first?.licensed == true)
                #expect(items.first?.launchUrl == "http://localhost/lancer/fr.relais.test.calcul")
                #expect(items.first?.contentOrigin == origin)
            }
            // GET asks the learner's first name (the launch is a POST); HEAD answers where the
            // entry is without recording a launch.
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("name=\"prenom\""))
            }
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .head) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == origin + "/b/fr.relais.test.calcul/1.0.0/dossier/page%201.html")
            }
        }
    }

    @Test func cataloguePageIsInFrenchWithAnEnglishVersion() async throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "x"]))
        try await app(t).test(.router) { client in
            try await client.execute(uri: "/catalogue", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(html.contains("<html lang=\"fr\">"))
                #expect(html.contains("Solutions pédagogiques"))
                #expect(html.contains("Démo fr.relais.test.calcul"))
                #expect(html.contains("href=\"http://localhost/lancer/fr.relais.test.calcul\""))
                #expect(html.contains(">Ouvrir<"))
            }
            try await client.execute(uri: "/catalogue?lang=en", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("<html lang=\"en\">"))
                #expect(html.contains("Teaching solutions"))
            }
        }
    }

    @Test func anEmptyBoxSaysHowToAddContent() async throws {
        let t = try TestBox()
        try await app(t).test(.router) { client in
            try await client.execute(uri: "/catalogue", method: .get) { response in
                #expect(String(buffer: response.body).contains("relais import"))
            }
        }
    }
    // /metrics: ObserveServerTests (localhost or admin only since issue 11).
}

/// A TCP port nothing listens on right now (bound to port 0, read, closed).
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Licences enforced by the portal: the catalogue says each bundle's state, a launch of a bundle
/// the school may not use is refused in French, and its files are not served.
struct PortalLicenceTests {

    func app(_ t: TestBox) throws -> some ApplicationProtocol { try portalApp(t) }

    /// 0750654D (TestBox's UAI) holds an active abonnement for « calcul » (pupils and teachers)
    /// and an expired one for « lecture » (teachers only).
    static let licence = """
        {"uai":"0750654D","abonnements":[
        {"idAbonnement":"A1","idRessource":"fr.relais.test.calcul","libelleRessource":"Calcul","debutValidite":"2020-09-01T00:00:00Z",
         "finValidite":"2099-08-31T23:59:59Z","typeAffectation":"ETABL","nbLicenceGlobale":"ILLIMITE","publicCible":["ELEVE","ENSEIGNANT"]},
        {"idAbonnement":"A2","idRessource":"fr.relais.test.lecture","libelleRessource":"Lecture plus","debutValidite":"2020-09-01T00:00:00Z",
         "finValidite":"2021-08-31T23:59:59Z","typeAffectation":"ETABL","nbLicenceGlobale":10,"publicCible":["ENSEIGNANT"]}]}
        """

    func licensedBox() throws -> TestBox {
        let t = try TestBox()
        try t.importFromRepository(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "c"]), id: "fr.relais.test.calcul")
        try t.importFromRepository(try t.bundle(id: "fr.relais.test.lecture", files: ["index.html": "l"]), id: "fr.relais.test.lecture")
        try t.importFromRepository(try t.bundle(id: "fr.relais.test.geo", files: ["index.html": "g"]), id: "fr.relais.test.geo")
        try t.storeLicence(Self.licence)
        return t
    }

    @Test func catalogueGivesEachRepositoryBundleItsLicenceState() async throws {
        let t = try licensedBox()
        try await app(t).test(.router) { client in
            try await client.execute(uri: "/api/v1/catalog", method: .get) { response in
                let items = try JSONDecoder().decode([PortalTests.CatalogItem].self, from: Data(buffer: response.body))
                let licensed = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.licensed) })
                #expect(licensed == ["fr.relais.test.calcul": true, "fr.relais.test.lecture": false, "fr.relais.test.geo": false])
            }
            try await client.execute(uri: "/catalogue", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("Licence valable jusqu&#39;au 31/08/2099") || html.contains("Licence valable jusqu'au 31/08/2099"))
                #expect(html.contains("Licence expirée le 31/08/2021"))
            }
        }
    }

    @Test func launchingAnExpiredOrUnlicensedBundleIsRefusedInFrenchAndSaysWhatToDo() async throws {
        let t = try licensedBox()
        try await app(t).test(.router) { client in
            try await client.execute(uri: "/lancer/fr.relais.test.lecture", method: .get) { response in
                #expect(response.status == .forbidden)
                let html = String(buffer: response.body)
                #expect(html.contains("Impossible d&#39;ouvrir « Lecture plus »"))
                #expect(html.contains("renouveler l&#39;abonnement"))
            }
            try await client.execute(uri: "/lancer/fr.relais.test.geo", method: .get) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("Aucune licence"))
            }
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/lancer/fr.relais.test.absent", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func filesOfABundleTheSchoolMayNotUseAreNotServed() throws {
        let t = try licensedBox()
        let catalog = StoreContentCatalog()
        try catalog.reload(from: t.box)
        let index = try BundlePath("index.html")
        #expect(catalog.lookup(bundleID: "fr.relais.test.calcul", version: "1.0.0", path: index) != nil)
        #expect(catalog.lookup(bundleID: "fr.relais.test.lecture", version: "1.0.0", path: index) == nil)
        #expect(catalog.lookup(bundleID: "fr.relais.test.geo", version: "1.0.0", path: index) == nil)
    }

    @Test func publicCibleLimitsWhoSeesABundle() async throws {
        let t = try licensedBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.local", files: ["index.html": "x"]))
        try await app(t).test(.router) { client in
            try await client.execute(uri: "/api/v1/catalog?public=ELEVE", method: .get) { response in
                let items = try JSONDecoder().decode([PortalTests.CatalogItem].self, from: Data(buffer: response.body))
                #expect(Set(items.map(\.id)) == ["fr.relais.test.calcul", "fr.relais.test.local"])
            }
            try await client.execute(uri: "/api/v1/catalog?public=ENSEIGNANT", method: .get) { response in
                let items = try JSONDecoder().decode([PortalTests.CatalogItem].self, from: Data(buffer: response.body))
                #expect(Set(items.map(\.id)) == ["fr.relais.test.calcul", "fr.relais.test.lecture", "fr.relais.test.local"])
            }
            try await client.execute(uri: "/api/v1/catalog?public=PARENT", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
