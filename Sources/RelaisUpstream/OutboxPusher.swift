import Foundation
import Logging
import NIOCore
import RelaisStore

/// Pushes the outbox to the upstream LRS, exactly once in effect.
///
/// Statements leave the outbox only after the upstream LRS acknowledged them, so a crash, a
/// reset or a timeout at any moment loses nothing; what was sent but not acknowledged is sent
/// again, byte for byte (the same id, timestamp and pseudonyms), which a conformant LRS treats as
/// a no-op (Ralph: 204). Refusals are narrowed down by bisecting the batch, so one bad statement
/// goes to quarantine and the rest of its batch still goes through.
public struct OutboxPusher: Sendable {
    let box: Box
    let configuration: UpstreamConfiguration
    let filter: any OutgoingStatementFilter
    let retry: RetryPolicy
    let timeouts: UpstreamClient.Timeouts
    let logger: Logger

    public init(
        box: Box, configuration: UpstreamConfiguration, filter: any OutgoingStatementFilter, retry: RetryPolicy = .once,
        timeouts: UpstreamClient.Timeouts = .init(), logger: Logger
    ) {
        self.box = box
        self.configuration = configuration
        self.filter = filter
        self.retry = retry
        self.timeouts = timeouts
        self.logger = logger
    }

    /// Pushes until the outbox holds nothing but quarantined statements, or `shouldContinue`
    /// turns false between two batches (the window closed). One push at a time per box: a second
    /// one fails at once with `.busy`.
    public func push(retryQuarantined: Bool = false, shouldContinue: @escaping @Sendable () -> Bool = { true }) async throws(UpstreamError) -> PushReport {
        let lock: StoreLock
        do {
            lock = try StoreLock(box.directory, path: box.directory.root.appendingPathComponent("upstream.lock").path)
        } catch StoreError.busy {
            throw .busy(box.directory.root.path)
        } catch {
            throw .store("\(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        let client = UpstreamClient(configuration: configuration, timeouts: timeouts)
        let run = PushRun(pusher: self, client: client, shouldContinue: shouldContinue)
        let outcome: Result<PushReport, UpstreamError>
        do throws(UpstreamError) {
            if retryQuarantined { run.report.released = try store { try box.releaseQuarantine() } }
            try await run.pushAll()
            outcome = .success(run.report)
        } catch {
            outcome = .failure(error)
        }
        await client.shutdown()
        let now = Self.now()
        switch outcome {
        case .success:
            try store { try box.recordUpstreamPush(at: now, error: nil) }
        case .failure(let error):
            if case .credentialsRefused = error {
                try? box.recordUpstreamPush(at: now, error: error.description, credentialsRefused: true)
            } else if error != .stopped {
                try? box.recordUpstreamPush(at: now, error: error.description)
            }
        }
        var report = try outcome.get()
        let status = try store { try box.outboxStatus(quarantineListed: 0) }
        report.pending = status.pending
        report.quarantinedTotal = status.quarantined
        return report
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
}

/// Runs a throwing store call, turning its error into `UpstreamError.store`.
func store<T>(_ body: () throws -> T) throws(UpstreamError) -> T {
    do { return try body() } catch { throw .store("\(error)") }
}
