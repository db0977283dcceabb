import Foundation
import RelaisCore
import RelaisUpstream
import Testing

@Suite("Upstream policies: window, pacing, backoff, answers, settings")
struct PolicyTests {
    @Test("a window past midnight, a window within the day, the whole day")
    func windows() throws {
        let night = try #require(DailyWindow("17:30-07:30"))
        #expect(night.contains(minuteOfDay: 17 * 60 + 30) && night.contains(minuteOfDay: 23 * 60) && night.contains(minuteOfDay: 7 * 60 + 29))
        #expect(!night.contains(minuteOfDay: 7 * 60 + 30) && !night.contains(minuteOfDay: 12 * 60))
        let lunch = try #require(DailyWindow("12:00-13:45"))
        #expect(lunch.contains(minuteOfDay: 12 * 60) && !lunch.contains(minuteOfDay: 13 * 60 + 45) && !lunch.contains(minuteOfDay: 8 * 60))
        #expect(try #require(DailyWindow("00:00-00:00")).contains(minuteOfDay: 5))
        #expect(night.description == "17:30-07:30")
        for bad in ["", "17:30", "25:00-07:00", "17:60-07:00", "5pm-7am", "17:30-07:30-08:00", "+1:00-02:00"] {
            #expect(DailyWindow(bad) == nil, "\(bad)")
        }
    }

    @Test("the window's next opening, in a given time zone")
    func nextOpening() throws {
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let night = try #require(DailyWindow("17:30-07:30"))
        // 2026-03-02 10:00:00 in Paris (UTC+1) is 09:00:00 UTC.
        let morning = Date(timeIntervalSince1970: 1_772_442_000)
        #expect(!night.contains(morning, timeZone: paris))
        #expect(night.secondsUntilOpen(from: morning, timeZone: paris) == 7 * 3600 + 30 * 60)
        #expect(night.contains(morning.addingTimeInterval(8 * 3600), timeZone: paris))
        #expect(night.secondsUntilOpen(from: morning.addingTimeInterval(8 * 3600), timeZone: paris) == 0)
    }

    @Test("the pacer spreads bytes at the cap; no cap, no wait")
    func pacing() {
        let start = ContinuousClock.now
        var pacer = BandwidthPacer(bytesPerSecond: 1000)
        #expect(pacer.delay(before: 500, now: start) == .zero)
        #expect(pacer.delay(before: 500, now: start) == .milliseconds(500))
        // Time passed while sending: only the rest is owed.
        #expect(pacer.delay(before: 1000, now: start + .milliseconds(800)) == .milliseconds(200))
        // Idle for long: no credit is saved up beyond "now".
        #expect(pacer.delay(before: 10, now: start + .seconds(60)) == .zero)
        var free = BandwidthPacer(bytesPerSecond: 0)
        #expect(free.delay(before: 1 << 30, now: start) == .zero && free.delay(before: 1 << 30, now: start) == .zero)
    }

    @Test("backoff doubles up to its cap, with jitter below the ceiling")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(500), maxDelay: .seconds(4))
        #expect(policy.ceiling(afterFailures: 1) == .milliseconds(500))
        #expect(policy.ceiling(afterFailures: 2) == .seconds(1))
        #expect(policy.ceiling(afterFailures: 4) == .seconds(4))
        #expect(policy.ceiling(afterFailures: 60) == .seconds(4))
        var random = SystemRandomNumberGenerator()
        let delays = (0..<200).map { _ in policy.delay(afterFailures: 3, using: &random) }
        #expect(delays.allSatisfy { $0 >= .zero && $0 <= .seconds(2) })
        #expect(Set(delays).count > 100)
    }

    @Test("what each answer of a real LRS means")
    func answers() {
        #expect(UpstreamAnswer(status: 200, detail: "") == .accepted)
        #expect(UpstreamAnswer(status: 204, detail: "") == .accepted)
        #expect(UpstreamAnswer(status: 409, detail: "x") == .refused(status: 409, detail: "x"))
        #expect(UpstreamAnswer(status: 400, detail: "") == .refused(status: 400, detail: ""))
        #expect(UpstreamAnswer(status: 422, detail: "") == .refused(status: 422, detail: ""))
        #expect(UpstreamAnswer(status: 401, detail: "") == .credentialsRefused(status: 401))
        #expect(UpstreamAnswer(status: 403, detail: "") == .credentialsRefused(status: 403))
        #expect(UpstreamAnswer(status: 413, detail: "") == .tooLarge)
        #expect(UpstreamAnswer(status: 404, detail: "") == .misconfigured(status: 404, detail: ""))
        for status in [408, 429, 500, 502, 503, 504] {
            guard case .transient = UpstreamAnswer(status: status, detail: "") else {
                Issue.record("\(status) should be retried")
                continue
            }
        }
    }

    @Test("upstream settings: defaults, and values refused with a reason")
    func settings() throws {
        #expect(Setting.named("upstream.batchSize")?.defaultValue == "100")
        #expect(Setting.named("upstream.window")?.defaultValue == "")
        #expect(Setting.named("upstream.maxBytesPerSecond")?.defaultValue == "0")
        let url = try #require(Setting.named("upstream.lrs.url"))
        #expect(url.problem(with: "") == nil && url.problem(with: "https://lrs.example/xapi") == nil)
        #expect(url.problem(with: "/srv/lrs") != nil)
        let window = try #require(Setting.named("upstream.window"))
        #expect(window.problem(with: "17:30-07:30") == nil && window.problem(with: "") == nil)
        #expect(window.problem(with: "tonight")?.contains("HH:MM-HH:MM") == true)
        let cap = try #require(Setting.named("upstream.maxBytesPerSecond"))
        #expect(cap.problem(with: "0") == nil && cap.problem(with: "-1") != nil)
        #expect(Setting.named("upstream.batchSize")?.problem(with: "0") != nil)
        #expect(Setting.named("upstream.lrs.password")?.problem(with: "a\nb") != nil)
    }

    @Test("the endpoint is read without its trailing slash; statements go under it")
    func endpoint() {
        let configuration = UpstreamConfiguration(endpoint: "https://lrs.example/xapi//", batchSize: 0)
        #expect(configuration.statementsURL == "https://lrs.example/xapi/statements")
        #expect(configuration.batchSize == 1)
    }
}
