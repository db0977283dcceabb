import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore
import RelaisSync

/// `relais sync`: brings the box up to date with the signed repository (`repository.url`).
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Pull signed bundles and licences from the configured repository (URL or folder).",
        discussion: """
            Verifies every signature, version, expiry, length and hash (TUF 1.0), downloads only the \
            bundles this school may use (resuming cut downloads), imports each one atomically and \
            unlists bundles that left the repository. Without --once, syncs again every \
            sync.intervalMinutes until stopped.
            """)

    @OptionGroup var options: DataOptions

    @Flag(help: "Sync once and exit (exit 1 when the sync failed).")
    var once = false

    func run() async throws {
        let box = try options.openBox(logLevel: .notice)
        let location = try box.setting("repository.url")
        guard !location.isEmpty else { throw SyncError.noSource }
        let source = try SyncSource(location)
        let sync = RepositorySync(box: box, logger: box.logger)
        if once {
            SyncOutput.print(try await sync.run(from: source))
            return
        }
        let minutes = Int(try box.setting("sync.intervalMinutes")) ?? 60
        while true {
            do { SyncOutput.print(try await sync.run(from: source)) } catch {
                FileHandle.standardError.write(Data("relais: \(error)\n".utf8))
            }
            try await Task.sleep(for: .seconds(minutes * 60))
        }
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
