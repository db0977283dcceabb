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
    /// What the routes' path parameters name in the walk.
    struct Names {
        var classID: String
        var seanceID = "00000000-0000-4000-8000-00000000000a"
        var joinCode = "ZZZZZZ"
    }

    /// A concrete URI for a route path ({id} → a value that exists where it matters).
    static func uri(_ path: String, classID: String) -> String { uri(path, Names(classID: classID)) }

    static func uri(_ path: String, _ names: Names) -> String {
        path.replacingOccurrences(of: "{id}", with: path.hasPrefix("/admin/classes") ? names.classID : "fr.relais.test.calcul")
            .replacingOccurrences(of: "{launch}", with: "00000000-0000-4000-8000-000000000000")
            .replacingOccurrences(of: "{pupil}", with: "00000000-0000-4000-8000-000000000001")
            .replacingOccurrences(of: "{seance}", with: names.seanceID)
            .replacingOccurrences(of: "{position}", with: "0")
            .replacingOccurrences(of: "{move}", with: "monter")
            .replacingOccurrences(of: "{code}", with: names.joinCode)
            .replacingOccurrences(of: "**", with: "inconnu")
    }

    /// Whether an answer is the policy's refusal: no session → 303 to /connexion (a pupil's page
    /// → 303 to `/`, a substitute's → 303 to `/remplacant`) or 401; wrong role → 403.
    static func refusedByPolicy(_ response: TestResponse, rule: AccessPolicy.Rule? = nil) -> Bool {
        if response.status == .forbidden || (response.status == .unauthorized && response.headers[.wwwAuthenticate] == nil) { return true }
        guard response.status == .seeOther, let location = response.headers[.location] else { return false }
        if location.hasPrefix("/connexion?suite=") { return true }
        if let rule, rule.method == .get || rule.method == .head {
            if rule.access == .pupil { return location == "/" }
            if rule.access == .seanceRunner { return location == "/remplacant" }
        }
        return false
    }

    /// Every route × nobody, the admin, the séance's teacher, another teacher, the séance's
    /// substitute and a pupil of the séance.
    @Test func everyRouteWithEveryRoleAndWithNoneGetsWhatTheTableSays() async throws {
        let t = try TestBox()
        try t.importBundle(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "x"]))
        let box = t.box
        let admin = try staffWithPassword(t, "Morvan", "Claire", role: .admin)
        let teacher = try staffWithPassword(t, "Belkacem", "Karim", role: .enseignant)
        let other = try staffWithPassword(t, "Robert", "Paul", role: .enseignant)
        let schoolClass = try box.addClass(name: "CM1")
        let pupil = try box.addPupil(classId: schoolClass.id, firstName: "Léa", lastInitial: "M")
        let seance = try box.createSeance(SeanceDraft(title: "Fractions", classId: schoolClass.id), teacherId: teacher.id, createdBy: teacher.id)
        try box.addSeanceActivity(seanceId: seance.id, bundleId: "fr.relais.test.calcul", itemId: nil, title: "Calcul")
        let handoverCode = try box.handOver(seanceId: seance.id, by: teacher.id)
        let joinCode = try box.startSeance(id: seance.id, by: nil)
        let substituteAccess = try box.redeemHandover(code: handoverCode, address: "10.9.9.9")
        let pupilAccess = try box.joinSeance(seanceId: seance.id, pupilId: pupil.id)
        let names = Names(classID: schoolClass.id, seanceID: seance.id, joinCode: joinCode)
        try await portalApp(t).test(.router) { client in
            var devices: [(String, Device, Access.Caller)] = [("nobody", Device(), Access.Caller(role: nil, signedInPerson: nil, access: nil))]
            for (name, role, person) in [("admin", PortalRole.admin, admin), ("teacher", .enseignant, teacher), ("other teacher", .enseignant, other)] {
                let device = Device()
                try await device.get(client, "/connexion")
                #expect(try await device.post(client, "/connexion", [("login", person.login), ("password", "un-mot-de-passe")]).status == .seeOther)
                devices.append((name, device, Access.Caller(role: role, signedInPerson: person.id, access: nil)))
            }
            for (name, access, role) in [("substitute", substituteAccess, PortalRole.remplacant), ("pupil", pupilAccess, .eleve)] {
                let device = Device()
                device.cookies[AccessMiddleware.seanceCookie] = access.token
                devices.append((name, device, Access.Caller(role: role, signedInPerson: nil, access: access.access)))
            }
            var walked = 0
            for rule in AccessPolicy.rules {
                for (name, device, caller) in devices {
                    let uri = Self.uri(rule.path, names)
                    // From the portal's own page; the launch and LRS endpoints, which check the
                    // launch's bundle origin themselves, are called as a non-browser client would.
                    var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                    if rule.origin == .portal { headers[.origin] = "http://localhost" }
                    if !device.cookies.isEmpty { headers[.cookie] = device.cookieHeader }
                    if rule.method == .options { headers[.accessControlRequestMethod] = "POST" }
                    let response = try await client.execute(uri: uri, method: rule.method, headers: headers, body: ByteBuffer()) { $0 }
                    let admitted = rule.access.admits(caller, adminExists: { true }, seance: { seance })
                    let what = "\(rule.method) \(rule.path) as \(name) → \(response.status.code) \(response.headers[.location] ?? "")"
                    #expect(response.status != .internalServerError, "\(what)")
                    #expect(Self.refusedByPolicy(response, rule: rule) == !admitted, "\(what)")
                    walked += 1
                }
            }
            #expect(walked == AccessPolicy.rules.count * 6)
        }
        // Nothing was changed by the walk (no request carried a CSRF token).
        #expect(try box.seance(id: seance.id)?.state == .enCours)
        #expect(try box.seanceAccess(token: pupilAccess.token) != nil && box.seanceAccess(token: substituteAccess.token) != nil)
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
