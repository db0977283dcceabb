import Foundation
import Hummingbird
import HummingbirdTesting
@testable import RelaisLaunch
@testable import RelaisServer
import RelaisCore
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

struct LaunchRouteTests {
    func form(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    /// What a device gets from the launch form: its CSRF field and the cookies that go with it.
    struct LaunchForm {
        var csrf: String
        var cookies: String
    }

    /// GET /lancer/{id}: the form's hidden CSRF field and the nonce cookie set with it.
    func openForm(_ client: some TestClientProtocol, _ id: String, cookies: String = "") async throws -> LaunchForm {
        try await client.execute(uri: "/lancer/\(id)", method: .get, headers: cookies.isEmpty ? [:] : [.cookie: cookies]) { response in
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            let csrf = try #require(html.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/)?.1)
            let set = response.headers[.setCookie].map { String($0.split(separator: ";")[0]) }
            return LaunchForm(csrf: String(csrf), cookies: [cookies, set ?? ""].filter { !$0.isEmpty }.joined(separator: "; "))
        }
    }

    /// A whole launch as a browser makes it: the form, its POST from the portal's page, the
    /// portal's frame page; returns the framed URL (player or AU on the bundle's origin).
    func launch(_ client: some TestClientProtocol, _ id: String, firstName: String = "Tom") async throws -> String {
        let page = try await openForm(client, id)
        let location = try await client.execute(
            uri: "/lancer/\(id)", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: page.cookies, .origin: "http://localhost"],
            body: form("prenom=\(firstName)&csrf=\(page.csrf)")
        ) { response in
            #expect(response.status == .seeOther)
            return try #require(response.headers[.location])
        }
        #expect(location.hasPrefix("/lecture/"))
        return try await client.execute(uri: location, method: .get) { response in
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("sandbox=\"allow-scripts allow-same-origin allow-forms\""))
            let src = try #require(html.firstMatch(of: /<iframe[^>]* src="([^"]+)"/)?.1)
            return String(src).replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    @Test func aLaunchFromTheCatalogueAsksAFirstNameThenFramesThePlayerOnTheBundlesOrigin() async throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "x"]))
        let origin = try testBundleOrigin(t, "fr.relais.test.calcul")
        try await portalApp(t).test(.router) { client in
            let page = try await openForm(client, "fr.relais.test.calcul")
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("method=\"post\" action=\"/lancer/fr.relais.test.calcul\""))
                #expect(html.contains("Quel est ton prénom ?"))
                #expect(!html.contains("<script"))
                #expect(response.headers[.setCookie]?.contains("HttpOnly; SameSite=Strict") == true)
            }
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: page.cookies]
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .post, headers: headers, body: form("prenom=&csrf=\(page.csrf)")) { response in
                #expect(response.status == .badRequest)
            }
            // Without the form's token, or with another device's, nothing is launched.
            for body in ["prenom=L%C3%A9a", "prenom=L%C3%A9a&csrf=\(String(repeating: "0", count: 64))"] {
                try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .post, headers: headers, body: form(body)) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("Cette page a expiré"))
                }
            }
            var cookie = ""
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .post, headers: headers, body: form("prenom=L%C3%A9a&csrf=\(page.csrf)")) { response in
                #expect(response.status == .seeOther)
                let location = try #require(response.headers[.location])
                #expect(location.hasPrefix("/lecture/"))
                let learner = try #require(response.headers[.setCookie])
                #expect(learner.contains("HttpOnly") && learner.contains("SameSite=Strict"))
                cookie = String(learner.split(separator: ";").first ?? "")
                try await client.execute(uri: location, method: .get) { frame in
                    let html = String(buffer: frame.body)
                    #expect(html.contains("src=\"\(origin)/_relais/lecteur.html?mode=html5&amp;api="))
                    #expect(html.contains("sandbox=\"allow-scripts allow-same-origin allow-forms\""))
                    #expect(!html.contains("allow-popups") && !html.contains("allow-top-navigation") && !html.contains("allow-modals"))
                    #expect(frame.headers[.contentSecurityPolicy]?.contains("frame-src \(origin);") == true)
                }
            }
            // The device remembers who launched last: the form comes prefilled.
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body).contains("value=\"Léa\""))
            }
            // HEAD still answers the entry on the bundle's origin, without recording a launch.
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .head) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "\(origin)/b/fr.relais.test.calcul/1.0.0/index.html")
            }
            // An unknown launch frames nothing.
            try await client.execute(uri: "/lecture/00000000-0000-4000-8000-000000000000", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(!String(buffer: response.body).contains("<iframe"))
            }
        }
        #expect(try storedStatements(t.box).count == 1)
    }

    @Test func aLaunchPostedFromABundlesPageIsRefusedBeforeAnythingIsWritten() async throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "x"]))
        try t.importBundle(try t.bundle(id: "fr.relais.test.hostile", files: ["index.html": "x"]))
        let hostile = try testBundleOrigin(t, "fr.relais.test.hostile")
        try await portalApp(t).test(.router) { client in
            let page = try await openForm(client, "fr.relais.test.calcul")
            for origin in [hostile, "null", "http://evil.example"] {
                try await client.execute(
                    uri: "/lancer/fr.relais.test.calcul", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: page.cookies, .origin: origin],
                    body: form("prenom=Eve&csrf=\(page.csrf)")
                ) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.headers[.location] == nil)
                }
            }
        }
        #expect(try storedStatements(t.box).isEmpty)
        #expect(try t.box.latestLaunch(learnerId: "", bundleId: "fr.relais.test.calcul") == nil)
    }

    @Test func theCmi5FetchURLIsSingleUseAndAnswersItsBundlesOriginOnly() async throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install(LaunchCorpus.cmi5, into: t)
        try t.importBundle(try t.bundle(id: "fr.relais.test.autre", files: ["index.html": "x"]))
        let origin = try testBundleOrigin(t, entry.manifest.id)
        let other = try testBundleOrigin(t, "fr.relais.test.autre")
        try await portalApp(t).test(.router) { client in
            let location = try await launch(client, entry.manifest.id)
            #expect(location.hasPrefix(origin + "/b/"))
            let items = URLComponents(string: location)?.queryItems ?? []
            let fetch = items.first { $0.name == "fetch" }?.value ?? ""
            #expect(items.first { $0.name == "endpoint" }?.value == "http://localhost/xapi/")
            let path = try #require(URL(string: fetch)?.path)
            try await client.execute(uri: path, method: .options, headers: [.origin: origin, .accessControlRequestMethod: "POST"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == origin)
            }
            // A page of another origin — another bundle of this box included — is refused before
            // anything runs; the launch's own bundle gets the single-use answer.
            for foreign in ["http://evil.example", other, "http://localhost:8081", "null"] {
                try await client.execute(uri: path, method: .post, headers: [.origin: foreign]) { response in
                    #expect(response.status == .forbidden)
                    let body = try JSONValue(parsing: Array(buffer: response.body))
                    #expect(body["auth-token"] == nil)
                    #expect(response.headers[.accessControlAllowOrigin] == nil)
                }
            }
            try await client.execute(uri: path, method: .post, headers: [.origin: origin]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == origin)
                let body = try JSONValue(parsing: Array(buffer: response.body))
                #expect(body["auth-token"]?.stringValue?.isEmpty == false)
            }
            try await client.execute(uri: path, method: .post, headers: [.origin: origin]) { response in
                let body = try JSONValue(parsing: Array(buffer: response.body))
                #expect(body["auth-token"] == nil)
                #expect(body["error-code"] == "1")
            }
        }
    }

    @Test func theScormPlayerEndpointsLoadAndCommitCMIData() async throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install(LaunchCorpus.scorm12, into: t)
        let origin = try testBundleOrigin(t, entry.manifest.id)
        try await portalApp(t).test(.router) { client in
            let location = try await launch(client, entry.manifest.id)
            #expect(location.hasPrefix("\(origin)/_relais/lecteur.html?mode=scorm12&"))
            let api = URLComponents(string: location)?.queryItems?.first { $0.name == "api" }?.value ?? ""
            let path = try #require(URL(string: api)?.path)
            try await client.execute(uri: path + "/cmi", method: .get) { response in
                let body = try JSONValue(parsing: Array(buffer: response.body))
                #expect(body["cmi"]?["cmi.core.entry"] == "ab-initio")
            }
            try await client.execute(
                uri: path + "/cmi", method: .post, headers: [.contentType: "text/plain;charset=UTF-8", .origin: origin],
                body: ByteBuffer(string: #"{"event":"finish","cmi":{"cmi.core.lesson_status":"completed","cmi.core.exit":"suspend","cmi.suspend_data":"x"}}"#)
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: path + "/cmi", method: .post, body: ByteBuffer(string: "not json")) { response in
                #expect(response.status == .badRequest)
            }
        }
        let verbs = try storedStatements(t.box).compactMap { $0["verb"]?["id"]?.stringValue?.split(separator: "/").last }
        #expect(verbs == ["launched", "initialized", "completed", "suspended", "terminated"])  // a finish implies the session started
    }
}
