import RelaisPages
import RelaisStore

extension BoxStateSummary {
    /// The admin page's « État de la box » from the status `relais status` prints.
    init(_ status: BoxStatus) {
        let clock: Clock
        switch status.clock.state {
        case "behind": clock = .behind(seconds: status.clock.behindBySeconds ?? 0)
        case "ahead": clock = .ahead(seconds: status.clock.aheadBySeconds ?? 0)
        case "ok": clock = .ok
        default: clock = .unknown
        }
        self.init(
            version: status.version, uai: status.uai, diskUsedPercent: status.disk.usedPercent, diskUsedBytes: status.disk.usedBytes,
            diskFreeBytes: status.disk.freeBytes, diskWarning: status.disk.usedPercent >= BoxStatus.diskWarningPercent,
            lastPull: status.sync.lastSuccessAt, pullFailing: status.sync.lastError != nil,
            lastPush: status.upstream.lastSuccessAt, pushFailing: status.upstream.lastError != nil || status.upstream.credentialsRefusedAt != nil,
            outboxPending: status.upstream.pending, outboxOldest: status.upstream.oldestPendingAt, quarantined: status.upstream.quarantined,
            clock: clock, urls: status.network.urls, addresses: status.network.addresses.map { "\($0.address) (\($0.interface))" },
            warnings: status.warnings.map { Bilingual(fr: $0.fr, en: $0.en) },
            expiring: status.expiringLicences.map {
                ExpiringLicence(title: $0.title, idAbonnement: $0.idAbonnement, finValidite: $0.finValidite, daysLeft: $0.daysLeft)
            })
    }
}
