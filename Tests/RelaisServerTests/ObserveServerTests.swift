import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import RelaisCore
@testable import RelaisServer
import RelaisStore
import RelaisTestSupport
import Testing

/// `/metrics` (Prometheus text, localhost or admin only; counters that move as the three origins
/// serve), the admin page's « État de la box », and `relais doctor`'s network checks against real
/// listeners.
@Suite(.timeLimit(.minutes(2))) struct ObserveServerTests {
    /// Sample lines of a Prometheus text exposition: `name{labels}` → value (comments skipped).
    static func samples(_ text: String) -> [String: Double] {
        var found: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            found[String(line[..<space])] = value
        }
        return found
    }

    static func quietLogger() -> Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test func metricsCountRequestsAndBytesOfEveryOriginAsTheyAreServed() async throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "0123456789"]))
        let contentPort = freePort()
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, contentPort: contentPort, bundlePorts: .ephemeral)
        let app = try buildApplication(box: t.box, configuration: configuration, logger: Self.quietLogger())
        let stored = try t.box.statementCount()
        try await app.test(.live) { client in
            func scrape() async throws -> [String: Double] {
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                    return Self.samples(String(buffer: response.body))
                }
            }
            let before = try await scrape()
            #expect(before["relais_bundles"] == 1)
            #expect(before["relais_store_bytes"] == 10)
            #expect(before["relais_statements_stored"] == Double(stored))
            #expect(before["relais_statements_queued"] == 0 && before["relais_statements_quarantined"] == 0)
            #expect((before["relais_disk_free_bytes"] ?? 0) > 0 && (before["relais_disk_used_bytes"] ?? 0) > 0)
            #expect(before["relais_info{version=\"\(RelaisVersion.current)\",uai=\"0750654D\"}"] == 1)
            // The portal: two health checks.
            for _ in 0..<2 { try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) } }
            try await client.execute(uri: "/pas-de-page", method: .get) { #expect($0.status == .notFound) }
            // The bundle's own origin, once it listens (the reloader opens it within a second).
            var bundleOrigin: String?
            let deadline = ContinuousClock.now + .seconds(20)
            while bundleOrigin == nil, ContinuousClock.now < deadline {
                bundleOrigin = try await client.execute(uri: "/api/v1/catalog", method: .get) { response in
                    let items = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]
                    return items?.first?["contentOrigin"] as? String
                }
                if bundleOrigin == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            let bundlePort = try #require(bundleOrigin.flatMap { URL(string: $0)?.port })
            let file = "GET /b/fr.relais.test.calcul/1.0.0/index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            for _ in 0..<3 {
                let answer = try await RawConnection.exchange(port: bundlePort, file)
                #expect(RawHead(answer.bytes)?.status == 200)
            }
            // The shared content port sends the same path to the bundle's origin.
            #expect(RawHead(try await RawConnection.exchange(port: contentPort, file).bytes)?.status == 307)
            let after = try await scrape()
            func delta(_ name: String) -> Double { (after[name] ?? 0) - (before[name] ?? 0) }
            // The first scrape counts itself: 3 portal 200s since (catalogue polls and this scrape's predecessor included).
            #expect(delta("relais_http_requests_total{origin=\"portal\",code=\"200\"}") >= 3)
            #expect(delta("relais_http_requests_total{origin=\"portal\",code=\"404\"}") == 1)
            #expect(delta("relais_http_requests_total{origin=\"bundle\",code=\"200\"}") == 3)
            #expect(delta("relais_http_response_body_bytes_total{origin=\"bundle\",code=\"200\"}") == 30)
            #expect(delta("relais_http_requests_total{origin=\"content\",code=\"307\"}") == 1)
        }
    }

    @Test func metricsAreRefusedToTheLANAndOpenToTheAdmin() async throws {
        let t = try TestBox()
        let admin = try staffWithPassword(t, "Morvan", "Claire", role: .admin)
        let teacher = try staffWithPassword(t, "Belkacem", "Karim", role: .enseignant)
        // Router tests have no peer address: the caller is not the box itself.
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("127.0.0.1"))
                #expect(!String(buffer: response.body).contains("relais_bundles"))
            }
            let staff = Device()
            try await staff.get(client, "/connexion")
            try await staff.post(client, "/connexion", [("login", teacher.login), ("password", "un-mot-de-passe")])
            try await client.execute(uri: "/metrics", method: .get, headers: [.cookie: staff.cookieHeader]) { #expect($0.status == .forbidden) }
            let device = Device()
            try await device.get(client, "/connexion")
            try await device.post(client, "/connexion", [("login", admin.login), ("password", "un-mot-de-passe")])
            try await client.execute(uri: "/metrics", method: .get, headers: [.cookie: device.cookieHeader]) { response in
                #expect(response.status == .ok)
                #expect(Self.samples(String(buffer: response.body))["relais_bundles"] == 0)
            }
        }
    }

    @Test func theAdminPageShowsTheBoxStateWithWarningsMarkedInWords() async throws {
        let t = try TestBox()
        try t.importFromRepository(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "c"]), id: "fr.relais.test.calcul")
        let now = Int64(Date().timeIntervalSince1970)
        let end = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(now + 5 * 86_400)))
        try t.storeLicence("""
            {"uai":"0750654D","abonnements":[{"idAbonnement":"ABO-CALCUL","idRessource":"fr.relais.test.calcul","libelleRessource":"Calcul mental",
            "debutValidite":"2020-01-01T00:00:00Z","finValidite":"\(end)","typeAffectation":"ETABL","nbLicenceGlobale":"ILLIMITE","publicCible":["ELEVE"]}]}
            """)
        let admin = try staffWithPassword(t, "Morvan", "Claire", role: .admin)
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/connexion")
            try await device.post(client, "/connexion", [("login", admin.login), ("password", "un-mot-de-passe")])
            let html = try await device.get(client, "/admin").body
            let page = String(buffer: html)
            #expect(page.contains("<h2 id=\"etat-box\">État de la box</h2>"))
            #expect(page.contains("<th scope=\"row\">UAI</th><td>0750654D</td>"))
            #expect(page.contains("<strong>Attention :</strong> La licence « Calcul mental » (abonnement ABO-CALCUL) se termine dans 5 jours"))
            #expect(page.contains("<th scope=\"row\">Calcul mental</th><td>ABO-CALCUL</td>"))
            #expect(page.contains("<li><code>http://relais.local:8080/</code></li>"))
            let english = String(buffer: try await device.get(client, "/admin?lang=en").body)
            #expect(english.contains("<h2 id=\"etat-box\">Box status</h2>"))
            #expect(english.contains("<strong>Warning:</strong> The licence for “Calcul mental”"))
        }
    }

    @Test func doctorReachesTheUpstreamLRSAndTheRepositoryOrSaysWhatToFix() async throws {
        let t = try TestBox()
        let root = t.box.directory.root.path
        // Nothing listens on this port: an LRS that is down.
        let stopped = freePort()
        try t.box.setSetting("upstream.lrs.url", to: "http://127.0.0.1:\(stopped)/xapi/")
        try t.box.setSetting("repository.url", to: t.folder.appendingPathComponent("cle-usb").path)
        try t.box.setSetting("serve.port", to: String(freePort()))
        try t.box.setSetting("serve.contentPort", to: String(freePort()))
        let report = await NetworkDoctor.check(box: t.box, timeout: .seconds(3))
        #expect(report.problems.contains(
            "upstream LRS: http://127.0.0.1:\(stopped)/xapi/about cannot be reached (connection refused) — check the network, or the address: relais config --data \(root) set upstream.lrs.url URL"))
        #expect(report.problems.contains { $0.hasPrefix("repository: \(t.folder.path)/cle-usb/metadata/timestamp.json cannot be read") })
        #expect(report.problems.count == 2)
        // A real LRS: another box's local LRS (its about resource), and a mounted repository folder.
        let upstream = try TestBox()
        let app = try buildApplication(
            box: upstream.box, configuration: ServerConfiguration(host: "127.0.0.1", port: 0, contentPort: freePort()), logger: Self.quietLogger())
        let box = t.box
        let metadata = t.folder.appendingPathComponent("cle-usb/metadata")
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try box.setSetting("upstream.lrs.url", to: "http://127.0.0.1:\(port)/xapi")
            try FileManager.default.createDirectory(at: metadata, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: metadata.appendingPathComponent("timestamp.json"))
            let reached = await NetworkDoctor.check(box: box, timeout: .seconds(3))
            #expect(reached.problems == [])
            #expect(reached.checks.contains("upstream LRS: http://127.0.0.1:\(port)/xapi/about answers 200"))
            // An HTTP repository that answers 404 for timestamp.json is not a repository.
            try box.setSetting("repository.url", to: "http://127.0.0.1:\(port)/depot/")
            let notThere = await NetworkDoctor.check(box: box, timeout: .seconds(3))
            #expect(notThere.problems == [
                "repository: http://127.0.0.1:\(port)/depot/metadata/timestamp.json answers 404 — check the address: relais config --data \(root) set repository.url URL"
            ])
        }
    }

    @Test func doctorTellsAPortOfAnotherProgramFromOneItsOwnServerHolds() async throws {
        let t = try TestBox()
        let root = t.box.directory.root.path
        // Another program on the portal's port.
        let squatter = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let taken = try #require(squatter.localAddress?.port)
        try t.box.setSetting("serve.host", to: "127.0.0.1")
        try t.box.setSetting("serve.port", to: String(taken))
        try t.box.setSetting("serve.contentPort", to: String(freePort()))
        let report = await NetworkDoctor.check(box: t.box, timeout: .seconds(2))
        try await squatter.close()
        #expect(report.problems == [
            "port \(taken) (serve.port) is taken by another program (ss -ltnp 'sport = :\(taken)' names it) — stop it, or move relais: relais config --data \(root) set serve.port OTHER_PORT"
        ])
        // This box's own relais serve on both ports: nothing to fix.
        let contentPort = freePort()
        let app = try buildApplication(
            box: t.box, configuration: ServerConfiguration(host: "127.0.0.1", port: 0, contentPort: contentPort), logger: Self.quietLogger())
        let box = t.box
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try box.setSetting("serve.port", to: String(port))
            try box.setSetting("serve.contentPort", to: String(contentPort))
            let own = await NetworkDoctor.check(box: box, timeout: .seconds(2))
            #expect(own.problems == [])
            #expect(own.checks.contains("port \(port) (serve.port): held by this box's relais serve"))
            #expect(own.checks.contains("port \(contentPort) (serve.contentPort): held by this box's relais serve"))
        }
    }
}
