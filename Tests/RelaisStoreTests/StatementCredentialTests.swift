import Foundation
import RelaisCore
import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

struct StatementCredentialTests {
    let actor: JSONValue = ["objectType": "Agent", "account": ["homePage": "https://relais.invalid/0750654D", "name": "guest-1"]]
    let registration = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"

    @Test func aProviderCredentialAuthenticatesOnlyWithItsSecret() throws {
        let t = try TestBox()
        let credential = try t.box.addCredential(name: "quiz")
        #expect(credential.key.count == 32 && credential.secret.count == 64 && !credential.key.contains(":"))
        #expect(try t.box.authenticate(key: credential.key, secret: credential.secret) == .provider(key: credential.key))
        #expect(try t.box.authenticate(key: credential.key, secret: credential.secret + "x") == nil)
        #expect(try t.box.authenticate(key: "nobody", secret: credential.secret) == nil)
    }

    @Test func aLaunchCredentialExpires() throws {
        let t = try TestBox()
        let credential = try t.box.addLaunchCredential(actor: actor, registration: registration, expiresAt: 2_000)
        #expect(try t.box.authenticate(key: credential.key, secret: credential.secret, now: Date(timeIntervalSince1970: 1))
            == .launch(key: credential.key, actor: actor, registration: registration))
        #expect(try t.box.authenticate(key: credential.key, secret: credential.secret, now: Date(timeIntervalSince1970: 2)) == nil)
    }

    @Test func aLaunchWritesOnlyForItsActorAndRegistration() throws {
        let t = try TestBox()
        let credential = try t.box.addLaunchCredential(actor: actor, registration: registration, expiresAt: nil)
        let scope = try #require(try t.box.authenticate(key: credential.key, secret: credential.secret))
        let own: JSONValue = [
            "actor": actor.setting("objectType", to: nil), "verb": ["id": "http://adlnet.gov/expapi/verbs/initialized"],
            "object": ["id": "https://relais.invalid/a/1"], "context": ["registration": .string(registration.uppercased())],
        ]
        #expect(try t.box.storeStatements([own], scope: scope).count == 1)
        #expect(throws: XAPIError.forbidden("statement.actor is not the actor of this launch")) {
            try t.box.storeStatements([own.setting("actor", to: ["mbox": "mailto:x@y.fr"])], scope: scope)
        }
        #expect(throws: XAPIError.forbidden("statements[1].context.registration is not the registration of this launch")) {
            try t.box.storeStatements([own, own.setting("context", to: nil)], scope: scope)
        }
        #expect(throws: XAPIError.forbidden("agent is not the actor of this launch")) {
            try scope.checkDocument(agentKey: "mbox:mailto:x@y.fr", registration: nil)
        }
    }

    @Test func secretsAreNotStoredInClear() throws {
        let t = try TestBox()
        let credential = try t.box.addCredential(name: "quiz")
        let file = try Data(contentsOf: URL(fileURLWithPath: t.box.directory.databasePath))
        #expect(file.range(of: Data(credential.secret.utf8)) == nil)
    }
}
