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

/// `GET /lancement/{id}/plan` and `POST /lancement/{id}/element`: the player's table of contents and
/// the launch of another SCO/AU, from the launch's own bundle origin only.
struct LaunchStructureRouteTests {
    @Test func theElementEndpointLaunchesAnotherAUForThePlayerOfTheBundleOnly() async throws {
        let t = try TestBox()
        let entry = try LaunchStructureTests.cmi5Bundle(t)
        try t.importBundle(try t.bundle(id: "fr.relais.test.autre", files: ["index.html": "x"]))
        let origin = try testBundleOrigin(t, entry.manifest.id)
        let other = try testBundleOrigin(t, "fr.relais.test.autre")
        let learner = try t.box.guestLearner(firstName: "Léa")
        let first = try LaunchService(box: t.box).launch(
            bundle: entry, learner: learner, origins: LaunchOrigins(portal: "http://localhost", content: origin))
        let box = t.box
        let body = ByteBuffer(string: #"{"item":"https://exemple.fr/cours/fractions/au-2"}"#)
        try await portalApp(t).test(.router) { client in
            try await client.execute(uri: "/lancement/\(first.launch.id)/plan", method: .get, headers: [.origin: origin]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == origin)
                let plan = try JSONValue(parsing: Array(buffer: response.body))
                #expect(plan["item"] == "https://exemple.fr/cours/fractions/au-1")
                #expect(plan["entries"]?.arrayValue?.map { $0["title"]?.stringValue ?? "" } == ["Partager", "Comparer", "Additionner"])
            }
            try await client.execute(
                uri: "/lancement/\(first.launch.id)/element", method: .options, headers: [.origin: origin, .accessControlRequestMethod: "POST"]
            ) { response in
                #expect(response.headers[.accessControlAllowOrigin] == origin)
            }
            // Another bundle's page, a foreign page, or no page at all: refused, nothing launched.
            for headers: HTTPFields in [[.origin: other], [.origin: "http://evil.example"], [:]] {
                try await client.execute(uri: "/lancement/\(first.launch.id)/element", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .forbidden)
                }
            }
            #expect(try box.latestLaunch(learnerId: learner.localUserID, bundleId: entry.manifest.id)?.id == first.launch.id)
            try await client.execute(
                uri: "/lancement/\(first.launch.id)/element", method: .post, headers: [.origin: origin],
                body: ByteBuffer(string: #"{"item":"https://exemple.fr/cours/fractions/nope"}"#)
            ) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/lancement/\(first.launch.id)/element", method: .post, headers: [.origin: origin], body: body) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == origin)
                let answer = try JSONValue(parsing: Array(buffer: response.body))
                let url = try #require(answer["url"]?.stringValue)
                #expect(url.hasPrefix(origin + "/_relais/lecteur.html?mode=cmi5&"))
                let launchID = try #require(answer["launch"]?.stringValue)
                let launch = try #require(try box.launchRecord(id: launchID))
                #expect(launch.itemId == "https://exemple.fr/cours/fractions/au-2" && launch.registration == first.launch.registration)
                #expect(launch.learnerId == learner.localUserID)
            }
            // The portal's frame page of the first launch still answers.
            try await client.execute(uri: "/lecture/\(first.launch.id)", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
