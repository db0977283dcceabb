import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore
import RelaisSync
import RelaisUpstream
import ServiceLifecycle

/// `relais sync`: brings the box up to date with the signed repository (`repository.url`), then
/// pushes the usage statements to the upstream LRS (`upstream.lrs.url`); either may be unset.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Pull signed bundles and licences from the configured repository, push usage statements upstream.",
        discussion: """
            Verifies every signature, version, expiry, length and hash (TUF 1.0), downloads only the \
            bundles this school may use (resuming cut downloads), imports each one atomically and \
            unlists bundles that left the repository. Then sends the statements of the local LRS, \
            pseudonymised, to the upstream LRS (upstream.lrs.url) in batches of upstream.batchSize; \
            a statement leaves the box's outbox only once the upstream LRS acknowledged it, and one \
            it refuses is kept in quarantine (relais status). With --once the push runs now, \
            whatever upstream.window says. Without --once, runs the same background services as \
            `relais serve` until SIGTERM/SIGINT: a pull at once then every sync.intervalMinutes, \
            a push every minute inside upstream.window (settings read at each round).
            """)

    @OptionGroup var options: DataOptions

    @Flag(help: "Sync once and exit (exit 1 when the pull or the push failed).")
    var once = false

    @Flag(help: "First put the statements the upstream LRS refused (quarantine) back in line.")
    var retryQuarantined = false

    func run() async throws {
        let box = try options.openBox(logLevel: .notice)
        let location = try box.setting("repository.url")
        let pushes = try UpstreamConfiguration(box: box) != nil
        guard !location.isEmpty || pushes else { throw NothingToSync() }
        if once {
            // The pull and the push are independent: a repository down must not keep the
            // statements in the box, nor the reverse. Both are tried; the last error is thrown.
            var failure: (any Error)?
            if !location.isEmpty {
                do { SyncOutput.print(try await RepositorySync(box: box, logger: box.logger).run(from: try SyncSource(location))) } catch {
                    if pushes { Self.warn(error) }
                    failure = error
                }
            }
            if pushes {
                do { print(try await push(box, retryQuarantined: retryQuarantined, windowApplies: false).frenchSummary) } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            return
        }
        // The loop is `relais serve`'s own background services, without the portal: the pull
        // every sync.intervalMinutes, the push inside upstream.window (settings read each round).
        if retryQuarantined && pushes {
            let released = try box.releaseQuarantine()
            print("remis en file / requeued: \(released)")
        }
        var services: [any Service] = []
        if !location.isEmpty {
            services.append(RepositorySyncService(box: box, logger: box.logger, onReport: { SyncOutput.print($0) }))
        }
        if pushes { services.append(UpstreamPushService(box: box, logger: box.logger)) }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: box.logger))
        try await group.run()
    }

    /// One push of the outbox (settings read now); outside the window, when it applies, nothing.
    private func push(_ box: Box, retryQuarantined: Bool, windowApplies: Bool) async throws -> PushReport {
        guard let configuration = try UpstreamConfiguration(box: box) else { throw UpstreamError.notConfigured }
        if windowApplies, let window = configuration.window, !window.contains(Date()) {
            var report = PushReport()
            let status = try box.outboxStatus(quarantineListed: 0)
            report.pending = status.pending
            report.quarantinedTotal = status.quarantined
            report.windowClosed = true
            return report
        }
        let pusher = OutboxPusher(box: box, configuration: configuration, filter: try PseudonymousOutgoing(box: box), logger: box.logger)
        return try await pusher.push(retryQuarantined: retryQuarantined, shouldContinue: {
            !windowApplies || (configuration.window?.contains(Date()) ?? true)
        })
    }

    private static func warn(_ error: any Error) {
        let line = "\(error)".replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("relais: \(line)\n".utf8))
    }
}

/// Neither side of `relais sync` is configured.
struct NothingToSync: Error, CustomStringConvertible {
    var description: String {
        "nothing to sync: set the signed repository to pull from (`relais config --data DIR set repository.url URL`) and/or the LRS to push statements to (`… set upstream.lrs.url URL`)"
    }
}

/// The human summary of a sync or repository import (French first, like the rest of the CLI).
enum SyncOutput {
    static func print(_ report: SyncReport) {
        Swift.print("dépôt \(report.source) : racine v\(report.rootVersion), cibles v\(report.targetsVersion)"
            + (report.metadataChanged ? "" : " (inchangé)"))
        switch report.licence {
        case .updated: Swift.print("licences mises à jour")
        case .removed: Swift.print("le dépôt ne publie plus de licences pour cet établissement")
        case .none: Swift.print("aucune licence publiée pour cet établissement")
        case .unchanged: break
        }
        for line in report.installed { Swift.print("installé : \(line)") }
        for id in report.relisted { Swift.print("de nouveau disponible : \(id)") }
        for id in report.unlisted { Swift.print("retiré du catalogue : \(id)") }
        for id in report.collected { Swift.print("supprimé du disque : \(id)") }
        if !report.notLicensed.isEmpty { Swift.print("sans licence pour cet établissement : \(report.notLicensed.joined(separator: ", "))") }
        if report.installed.isEmpty && report.unlisted.isEmpty && report.relisted.isEmpty { Swift.print("à jour") }
        if report.downloadedBytes > 0 { Swift.print("téléchargé : \(ByteCount.format(report.downloadedBytes))") }
    }
}
