import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RelaisContent
import RelaisCore
@testable import RelaisServer
import RelaisStore
import RelaisTestSupport
import Testing

/// The one policy table, walked: every route with every role and with none.
struct AccessPolicyTests {
    /// A concrete URI for a route path ({id} → a value that exists where it matters).
    static func uri(_ path: String, classID: String) -> String {
        path.replacingOccurrences(of: "{id}", with: path.hasPrefix("/admin/classes") ? classID : "fr.relais.test.calcul")
            .replacingOccurrences(of: "{launch}", with: "00000000-0000-4000-8000-000000000000")
            .replacingOccurrences(of: "{pupil}", with: "00000000-0000-4000-8000-000000000001")
            .replacingOccurrences(of: "**", with: "inconnu")
    }

    /// Whether an answer is the policy's refusal: no session → 303 to /connexion or 401; wrong role → 403.
    static func refusedByPolicy(_ response: TestResponse) -> Bool {
        response.status == .forbidden || (response.status == .unauthorized && response.headers[.wwwAuthenticate] == nil)
            || (response.status == .seeOther && response.headers[.location]?.hasPrefix("/connexion?suite=") == true)
    }

    @Test func everyRouteWithEveryRoleAndWithNoneGetsWhatTheTableSays() async throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "x"]))
        let box = t.box
        let admin = try staffWithPassword(t, "Morvan", "Claire", role: .admin)
        let teacher = try staffWithPassword(t, "Belkacem", "Karim", role: .enseignant)
        let schoolClass = try box.addClass(name: "CM1")
        try await portalApp(t).test(.router) { client in
            var devices: [PortalRole?: Device] = [nil: Device()]
            for (role, person) in [(PortalRole.admin, admin), (.enseignant, teacher)] {
                let device = Device()
                try await device.get(client, "/connexion")
                #expect(try await device.post(client, "/connexion", [("login", person.login), ("password", "un-mot-de-passe")]).status == .seeOther)
                devices[role] = device
            }
            var walked = 0
            for rule in AccessPolicy.rules {
                for (role, device) in devices {
                    let uri = Self.uri(rule.path, classID: schoolClass.id)
                    // From the portal's own page; the launch and LRS endpoints, which check the
                    // launch's bundle origin themselves, are called as a non-browser client would.
                    var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                    if rule.origin == .portal { headers[.origin] = "http://localhost" }
                    if !device.cookies.isEmpty { headers[.cookie] = device.cookieHeader }
                    if rule.method == .options { headers[.accessControlRequestMethod] = "POST" }
                    let response = try await client.execute(uri: uri, method: rule.method, headers: headers, body: ByteBuffer()) { $0 }
                    let admitted = rule.access.admits(role, adminExists: { true })
                    let what = "\(rule.method) \(rule.path) as \(role?.rawValue ?? "nobody") → \(response.status.code)"
                    #expect(response.status != .internalServerError, "\(what)")
                    #expect(Self.refusedByPolicy(response) == !admitted, "\(what)")
                    walked += 1
                }
            }
            #expect(walked == AccessPolicy.rules.count * 3)
        }
    }

    @Test func everyStateChangingRouteRefusesABundlesPageBeforeItRuns() async throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "x"]))
        let admin = try staffWithPassword(t, "Morvan", "Claire", role: .admin)
        let schoolClass = try t.box.addClass(name: "CM1")
        let bundleOrigin = try testBundleOrigin(t, "fr.relais.test.calcul")
        try await portalApp(t).test(.router) { client in
            let device = Device()
            try await device.get(client, "/connexion")
            try await device.post(client, "/connexion", [("login", admin.login), ("password", "un-mot-de-passe")])
            var walked = 0
            for rule in AccessPolicy.rules where ![.get, .head, .options].contains(rule.method) {
                let uri = Self.uri(rule.path, classID: schoolClass.id)
                let response = try await client.execute(
                    uri: uri, method: rule.method,
                    headers: [.origin: bundleOrigin, .cookie: device.cookieHeader, .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "csrf=\(device.csrf)&nom=Intrus")) { $0 }
                let what = "\(rule.method) \(rule.path) from \(bundleOrigin) → \(response.status.code)"
                switch rule.origin {
                case .portal:
                    #expect(response.status == .forbidden && String(buffer: response.body).contains("Requête refusée"), "\(what)")
                case .checkedByRoute:
                    // The route's own check: not the launch's bundle, or no credential.
                    #expect([.forbidden, .unauthorized, .notFound, .badRequest].contains(response.status), "\(what)")
                }
                walked += 1
            }
            #expect(walked > 20)
        }
        #expect(try t.box.classes().map(\.name) == ["CM1"])  // nothing written
    }

    @Test func aRouteMissingFromTheTableIsRefusedNotOpened() async throws {
        let t = try TestBox()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let router = try buildRouter(box: t.box, bundleOrigins: BundleOriginMap(), logger: logger)
        router.get("pas-dans-la-table") { _, _ in "ouvert" }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/pas-dans-la-table", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body) != "ouvert")
            }
        }
    }

    /// Every route registered in the portal's sources is in the table (the LRS's routes are
    /// declared in `AccessPolicy.xapiRules`, next to the loops of XAPIRoutes that register them).
    @Test func everyRouteRegisteredInTheSourcesIsInTheTable() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/RelaisServer").standardizedFileURL
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        var found = 0
        for file in files where file.lastPathComponent != "XAPIRoutes.swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: /router\.(get|post|put|delete|head)\("([^"]*)"\)/) {
                let method = HTTPRequest.Method(rawValue: String(match.1).uppercased())!
                let raw = String(match.2)
                var path = "/" + raw.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                if raw == "/" { path = "/" }
                #expect(AccessPolicy.access(method: method, path: path) != nil, "\(method) \(path) in \(file.lastPathComponent) is not in AccessPolicy.rules")
                found += 1
            }
        }
        #expect(found > 30)
    }
}
