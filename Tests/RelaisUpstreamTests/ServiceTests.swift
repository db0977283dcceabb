import Foundation
import Logging
import RelaisCore
@testable import RelaisUpstream
import Testing

@Suite("Upstream background push")
struct ServiceTests {
    @Test("outside its window the service sends nothing and sleeps; inside, it empties the outbox")
    func keepsToTheWindow() async throws {
        let fixture = try await PushFixture(statements: 12) { _ in (200, "[]") }
        try fixture.box.setSetting("upstream.lrs.url", to: fixture.server.endpoint)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let service = UpstreamPushService(box: fixture.box, interval: .seconds(60), logger: logger)

        // A one-hour window twelve hours from now.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let now = calendar.dateComponents([.hour, .minute], from: Date())
        let start = ((now.hour ?? 0) * 60 + (now.minute ?? 0) + 720) % 1440
        let window = DailyWindow(start: start, end: (start + 60) % 1440)
        try fixture.box.setSetting("upstream.window", to: window.description)
        let pause = await service.round()
        #expect(fixture.server.requests.isEmpty)
        #expect(pause > .zero && pause <= .seconds(60))

        try fixture.box.setSetting("upstream.window", to: "")
        #expect(await service.round() == .seconds(60))
        #expect(fixture.server.stored.count == 12)
        #expect(try fixture.box.outboxStatus().pending == 0)
        try await fixture.stop()
    }

    @Test("refused credentials pause the background push for long, keeping everything")
    func refusedCredentialsPause() async throws {
        let fixture = try await PushFixture(statements: 3) { _ in (401, "") }
        try fixture.box.setSetting("upstream.lrs.url", to: fixture.server.endpoint)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let service = UpstreamPushService(box: fixture.box, interval: .seconds(60), refusedPause: .seconds(3600), logger: logger)
        #expect(await service.round() == .seconds(3600))
        #expect(try fixture.box.outboxStatus().credentialsRefusedAt != nil)
        #expect(try fixture.box.outboxStatus().pending == 3)
        try await fixture.stop()
    }
}
