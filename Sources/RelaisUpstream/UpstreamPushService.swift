import Foundation
import Logging
import RelaisStore
import ServiceLifecycle

/// The background push of `relais serve`: inside the daily window (`upstream.window`), empties
/// the outbox, then looks again every `interval`; outside it, sleeps until it opens. Settings are
/// read each round, so a changed window, address or password applies without a restart.
///
/// Failures are logged and recorded for `relais status`, never fatal to the server: the
/// statements wait in the outbox. Credentials refused (401/403) pause the push for
/// `refusedPause`, since retrying sooner cannot help until someone fixes them.
public struct UpstreamPushService: Service {
    let box: Box
    let interval: Duration
    let refusedPause: Duration
    let logger: Logger

    public init(box: Box, interval: Duration = .seconds(60), refusedPause: Duration = .seconds(3600), logger: Logger) {
        self.box = box
        self.interval = interval
        self.refusedPause = refusedPause
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            let pause = await round()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            } catch {
                return
            }
        }
    }

    /// One round: a push when the window is open; returns how long to wait before the next.
    func round() async -> Duration {
        let configuration: UpstreamConfiguration
        do {
            guard let found = try UpstreamConfiguration(box: box) else { return interval }
            configuration = found
        } catch {
            logger.error("upstream push: cannot read the settings: \(error)")
            return interval
        }
        let window = configuration.window
        if let window, !window.contains(Date()) {
            return min(interval, .seconds(window.secondsUntilOpen(from: Date())))
        }
        // An empty outbox needs no client, no lock and no write: a box idles most of the time, on
        // an SD card.
        if (try? box.outboxBatch(after: 0, limit: 1).isEmpty) == true { return interval }
        do {
            let pusher = OutboxPusher(
                box: box, configuration: configuration, filter: try PseudonymousOutgoing(box: box), retry: .background, logger: logger)
            let report = try await cancelWhenGracefulShutdown {
                try await pusher.push(shouldContinue: { window?.contains(Date()) ?? true })
            }
            if report.acknowledged > 0 || report.quarantined > 0 { logger.notice("upstream push: \(report.frenchSummary)") }
        } catch UpstreamError.credentialsRefused(let status, let url) {
            logger.error("upstream push: \(UpstreamError.credentialsRefused(status: status, url: url))")
            return refusedPause
        } catch UpstreamError.busy {
            // `relais sync --once` is pushing right now.
        } catch UpstreamError.stopped, is CancellationError {
            return .zero
        } catch {
            logger.error("upstream push: \(error)")
        }
        return interval
    }
}
