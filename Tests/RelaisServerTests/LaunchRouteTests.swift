import Foundation
import Hummingbird
import HummingbirdTesting
@testable import RelaisServer
import RelaisCore
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

struct LaunchRouteTests {
    let contentPort = freePort()

    func form(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func aLaunchFromTheCatalogueAsksAFirstNameThenRedirectsThroughThePlayer() async throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "x"]))
        try await portalApp(t, contentPort: contentPort).test(.router) { client in
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<form class=\"prenom\" method=\"post\" action=\"/lancer/fr.relais.test.calcul\">"))
                #expect(html.contains("Quel est ton prénom ?"))
                #expect(!html.contains("<script"))
            }
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: form("prenom=")) { response in
                #expect(response.status == .badRequest)
            }
            var cookie = ""
            try await client.execute(
                uri: "/lancer/fr.relais.test.calcul", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: form("prenom=L%C3%A9a")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("http://localhost:\(contentPort)/_relais/lecteur.html?mode=html5&api=") == true)
                cookie = String(response.headers[.setCookie]?.split(separator: ";").first ?? "")
            }
            // The device remembers who launched last: the form comes prefilled.
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body).contains("value=\"Léa\""))
            }
            // HEAD still answers the entry, without recording a launch.
            try await client.execute(uri: "/lancer/fr.relais.test.calcul", method: .head) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "http://localhost:\(contentPort)/b/fr.relais.test.calcul/1.0.0/index.html")
            }
        }
        #expect(try storedStatements(t.box).count == 1)
    }

    @Test func theCmi5FetchURLIsSingleUseAndAnswersTheContentOrigin() async throws {
        let t = try TestBox()
        let entry = try LaunchCorpus.install(LaunchCorpus.cmi5, into: t)
        try await portalApp(t, contentPort: contentPort).test(.router) { client in
            var fetch = ""
            try await client.execute(
                uri: "/lancer/\(entry.manifest.id)", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: form("prenom=Tom")
            ) { response in
                #expect(response.status == .seeOther)
                let location = try #require(response.headers[.location])
                let items = URLComponents(string: location)?.queryItems ?? []
                fetch = items.first { $0.name == "fetch" }?.value ?? ""
                #expect(items.first { $0.name == "endpoint" }?.value == "http://localhost/xapi/")
            }
            let path = try #require(URL(string: fetch)?.path)
            let origin = "http://localhost:\(contentPort)"
            try await client.execute(uri: path, method: .options, headers: [.origin: origin, .accessControlRequestMethod: "POST"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == origin)
            }
            try await client.execute(uri: path, method: .post, headers: [.origin: origin]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == origin)
                let body = try JSONValue(parsing: Array(buffer: response.body))
                #expect(body["auth-token"]?.stringValue?.isEmpty == false)
            }
            // A page of another origin, even one on the content port of another host, is refused
            // before anything runs; the box's own page gets the single-use answer.
            for foreign in ["http://evil.example", "http://evil.example:\(contentPort)"] {
                try await client.execute(uri: path, method: .post, headers: [.origin: foreign]) { response in
                    #expect(response.status == .forbidden)
                    let body = try JSONValue(parsing: Array(buffer: response.body))
                    #expect(body["auth-token"] == nil)
                    #expect(response.headers[.accessControlAllowOrigin] == nil)
                }
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
        try await portalApp(t, contentPort: contentPort).test(.router) { client in
            var api = ""
            try await client.execute(
                uri: "/lancer/\(entry.manifest.id)", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: form("prenom=Tom")
            ) { response in
                let location = try #require(response.headers[.location])
                #expect(location.hasPrefix("http://localhost:\(contentPort)/_relais/lecteur.html?mode=scorm12&"))
                api = URLComponents(string: location)?.queryItems?.first { $0.name == "api" }?.value ?? ""
            }
            let path = try #require(URL(string: api)?.path)
            try await client.execute(uri: path + "/cmi", method: .get) { response in
                let body = try JSONValue(parsing: Array(buffer: response.body))
                #expect(body["cmi"]?["cmi.core.entry"] == "ab-initio")
            }
            try await client.execute(
                uri: path + "/cmi", method: .post, headers: [.contentType: "text/plain;charset=UTF-8"],
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
