import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore

/// `relais status`: version, school, bundles, disk, licences ending soon, syncs, outbox, clock,
/// addresses and the URLs pupils type; the warnings first. `--json` prints `BoxStatus` (README).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show what the box holds.")

    @OptionGroup var options: DataOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let box = try options.openBox()
        let status = try box.status()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            var data = try encoder.encode(status)
            data.append(0x0a)
            FileHandle.standardOutput.write(data)
            return
        }
        print("Relais \(status.version) · \(status.name) (UAI \(status.uai)) · \(status.dataPath)")
        print("")
        if status.warnings.isEmpty {
            print("Aucune alerte / no warnings.")
        } else {
            print("ALERTES / WARNINGS: \(status.warnings.count)")
            for warning in status.warnings { print("  ATTENTION: \(warning.fr)") }
        }
        print("")
        print("Accès élèves / how pupils reach the box:")
        for url in status.network.urls { print("  \(url)") }
        let addresses = status.network.addresses.map { "\($0.address) (\($0.interface))" }
        print("  adresses / addresses: \(addresses.isEmpty ? "aucune / none" : addresses.joined(separator: ", "))")
        print("")
        if status.bundles.isEmpty {
            print("Aucune ressource installée / no bundle installed.")
        } else {
            print("Ressources / bundles: \(status.bundles.count)")
            for b in status.bundles {
                let older = b.versions.filter { $0 != b.activeVersion }
                let kept = older.isEmpty ? "" : " (gardées / kept: \(older.joined(separator: ", ")))"
                print("  \(b.id) \(b.activeVersion)\(kept) · \(b.kind) · \(b.standard) · \(b.origin) · \(ByteCount.format(b.contentBytes)) · \(b.title)")
                if b.origin == "repository" { print("      \(b.licenceNote)") }
            }
        }
        print("")
        printSync(status.sync, expiring: status.expiringLicences)
        for alert in status.seatWarnings { print("  LICENCES DÉPASSÉES / seats exceeded: \(alert.message)") }
        print("")
        printUpstream(status.upstream, url: try box.setting("upstream.lrs.url"))
        print("")
        print("Stockage / store: \(status.blobCount) fichiers, \(ByteCount.format(status.storedBytes)) sur le disque, \(ByteCount.format(status.savedBytes)) économisés par déduplication (\(ByteCount.format(status.logicalBytes)) sans)")
        let disk = status.disk
        print("Disque / disk: \(disk.usedPercent) % utilisés / used · \(ByteCount.format(disk.usedBytes)) utilisés, \(ByteCount.format(disk.freeBytes)) libres sur \(ByteCount.format(disk.totalBytes))")
        printClock(status.clock)
    }

    private func printClock(_ clock: BoxStatus.ClockCheck) {
        let state: String
        switch clock.state {
        case "ok": state = "à l'heure / ok"
        case "behind": state = "EN RETARD / BEHIND"
        case "ahead": state = "EN AVANCE / AHEAD"
        default: state = "non vérifiée (aucune synchro) / not checked (no sync yet)"
        }
        let trusted = clock.trustedTime > 0 ? " · dernière heure vérifiée / last verified time: \(Self.format(clock.trustedTime))" : ""
        print("Horloge / clock: \(Self.format(clock.systemTime)) · \(state)\(trusted)")
    }

    private func printSync(_ sync: BoxStatus.Sync, expiring: [BoxStatus.ExpiringLicence]) {
        guard sync.trustsRepository else {
            print("Dépôt signé / signed repository: aucun (box créée sans --trust)")
            return
        }
        print("Dépôt signé / signed repository: \(sync.source ?? "jamais synchronisé / never synced")")
        if let success = sync.lastSuccessAt {
            print("  dernière synchro réussie / last good sync: \(Self.format(success)) (racine v\(sync.rootVersion ?? 0), cibles v\(sync.targetsVersion ?? 0))")
        }
        if let error = sync.lastError, let attempt = sync.lastAttemptAt {
            print("  ÉCHEC de la dernière synchro / last sync FAILED (\(Self.format(attempt))): \(error)")
        }
        if let abonnements = sync.abonnements { print("  licences: \(abonnements) abonnement(s)") }
        for licence in expiring {
            print("  licence bientôt expirée / expiring: \(licence.bundle) · abonnement \(licence.idAbonnement) · fin \(Self.format(licence.finValidite)) · \(licence.daysLeft) jour(s) / day(s)")
        }
    }

    /// The push to the upstream LRS: what waits, what was refused and why, how the last push went.
    private func printUpstream(_ outbox: OutboxStatus, url: String) {
        print("LRS amont / upstream LRS: \(url.isEmpty ? "aucun (upstream.lrs.url) / none" : url)")
        let oldest = outbox.oldestPendingAt.map { " (la plus ancienne / oldest: \(Self.format($0)))" } ?? ""
        print("  déclarations en attente / statements pending: \(outbox.pending)\(oldest) · acquittées / acknowledged: \(outbox.acknowledgedTotal)")
        if let success = outbox.lastSuccessAt { print("  dernier envoi acquitté / last acknowledged push: \(Self.format(success))") }
        if let refused = outbox.credentialsRefusedAt {
            print("  IDENTIFIANTS REFUSÉS par le LRS amont / credentials REFUSED (\(Self.format(refused))): vérifiez upstream.lrs.username et upstream.lrs.password")
        }
        if let error = outbox.lastError, let attempt = outbox.lastAttemptAt {
            print("  ÉCHEC du dernier envoi / last push FAILED (\(Self.format(attempt))): \(error)")
        }
        if outbox.quarantined > 0 {
            print("  QUARANTAINE / quarantined: \(outbox.quarantined) refusée(s) par le LRS amont; après correction : relais sync --once --retry-quarantined")
            for item in outbox.quarantine.prefix(5) { print("      \(item.id): \(item.reason)") }
            if outbox.quarantined > 5 { print("      … (\(outbox.quarantined - 5) de plus / more)") }
        }
    }

    private static func format(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
