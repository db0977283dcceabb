import Foundation
import Logging
import RelaisStore
import ServiceLifecycle

/// The background pull of `relais serve` (and of `relais sync` without `--once`): a sync from
/// `repository.url` at once, then every `sync.intervalMinutes`. Both settings are read at each
/// round, so `relais config set` applies without a restart; an empty `repository.url` skips the
/// round.
///
/// Failures are logged and recorded in the sync state (`relais status` shows them), never fatal:
/// the box keeps serving what it has and tries again at the next round.
public struct RepositorySyncService: Service {
    let box: Box
    /// Overrides `sync.intervalMinutes` (tests); nil reads the setting at each round.
    let interval: Duration?
    let clock: @Sendable () -> Date
    let logger: Logger
    /// Called after each round that synced (tests, and `relais sync` prints the summary).
    let onReport: @Sendable (SyncReport) -> Void

    public init(
        box: Box, interval: Duration? = nil, clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
        onReport: @escaping @Sendable (SyncReport) -> Void = { _ in }
    ) {
        self.box = box
        self.interval = interval
        self.clock = clock
        self.logger = logger
        self.onReport = onReport
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            await round()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause()) }
            } catch {
                return
            }
        }
    }

    /// The wait before the next round: the override, else `sync.intervalMinutes` (60 when unreadable).
    func pause() -> Duration {
        if let interval { return interval }
        let minutes = (try? box.setting("sync.intervalMinutes")).flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? 60
        return .seconds(minutes * 60)
    }

    /// One sync when a repository is configured. Errors that RepositorySync records itself (the
    /// metadata or a bundle refused) are only logged here; the ones raised before it could
    /// (an unreadable `repository.url`, no trusted root, another sync running) are recorded too.
    func round() async {
        let location: String
        do {
            location = try box.setting("repository.url")
        } catch {
            logger.error("repository sync: cannot read the settings: \(error)")
            return
        }
        guard !location.isEmpty else { return }
        let source: SyncSource
        do {
            source = try SyncSource(location)
        } catch {
            record(error, source: location)
            return
        }
        do {
            let report = try await cancelWhenGracefulShutdown {
                try await RepositorySync(box: box, logger: logger).run(from: source, clock: clock)
            }
            if !report.installed.isEmpty || !report.unlisted.isEmpty || !report.relisted.isEmpty || report.licence != .unchanged {
                logger.notice(
                    "repository sync: done",
                    metadata: [
                        "source": "\(source)", "installed": "\(report.installed)", "unlisted": "\(report.unlisted)",
                        "relisted": "\(report.relisted)", "licence": "\(report.licence.rawValue)",
                    ])
            } else {
                logger.info("repository sync: up to date", metadata: ["source": "\(source)"])
            }
            onReport(report)
        } catch is CancellationError {
            return
        } catch let error as SyncError {
            switch error {
            case .noTrustedRoot, .notARepository, .noSource: record(error, source: source.description)
            case .licenceRefused, .bundlesFailed: logger.error("repository sync: \(error)")
            }
        } catch let error as StoreError {
            // The sync lock (`relais sync --once` or `relais import` running) or the database:
            // RepositorySync did not get to record it.
            record(error, source: source.description)
        } catch {
            // Metadata refused, network down…: RepositorySync recorded it.
            logger.error("repository sync: \(error)")
        }
    }

    private func record(_ error: any Error, source: String) {
        logger.error("repository sync: \(error)")
        let now = Int64(clock().timeIntervalSince1970)
        do {
            try box.recordSyncFailure(at: now, source: source, reason: "\(error)")
        } catch {
            logger.error("repository sync: cannot record the failure: \(error)")
        }
    }
}
