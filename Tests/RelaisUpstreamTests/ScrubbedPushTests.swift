import Foundation
import RelaisCore
import RelaisStore
import RelaisUpstream
import RelaisXAPI
import Testing

@Suite("Free text leaves the box without the box's names")
struct ScrubbedPushTests {
    @Test("a response naming a pupil goes up as [prénom]; a class name as [classe]")
    func pupilsNamesAreReplacedUpstream() async throws {
        let fixture = try await PushFixture(statements: 0) { _ in (200, "[]") }
        let schoolClass = try fixture.box.addClass(name: "CM2 B")
        let pupil = try fixture.box.addPupil(classId: schoolClass.id, firstName: "Léa", lastInitial: "M")
        let actor = try fixture.box.pseudonymizer().account(forLocalUser: pupil.id)
        let statement: JSONValue = [
            "id": .string(PushFixture.id(1)), "actor": actor, "verb": ["id": "http://adlnet.gov/expapi/verbs/answered"],
            "object": ["id": "https://relais.example/q/1"],
            "result": ["response": "Léa a répondu", "extensions": ["https://relais.example/ext/note": "bravo la CM2 B"]],
        ]
        try fixture.box.storeStatements([statement], authority: PushFixture.authority, credential: nil)
        let report = try await fixture.pusher().push()
        #expect(report.acknowledged == 1)
        let sent = try #require(fixture.server.requests.flatMap(\.statements).first)
        #expect(sent["result"]?["response"] == "[prénom] a répondu")
        #expect(sent["result"]?["extensions"]?["https://relais.example/ext/note"] == "bravo la [classe]")
        #expect(!String(decoding: sent.serialized(), as: UTF8.self).contains("Léa"))
        try await fixture.stop()
    }
}
