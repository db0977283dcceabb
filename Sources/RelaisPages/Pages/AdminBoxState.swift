import Foundation
import RelaisCore

/// The « État de la box » section of `/admin`: the facts of `relais status` as the admin page
/// shows them (the server fills it from the box's status; this layer only formats).
public struct BoxStateSummary: Sendable {
    /// The system clock against the box's last verified time.
    public enum Clock: Sendable, Equatable {
        case ok
        /// Earlier than a time already verified by that many seconds.
        case behind(seconds: Int64)
        /// Suspiciously far after the last verified time.
        case ahead(seconds: Int64)
        /// Nothing verified yet (no sync).
        case unknown
    }

    /// An abonnement that ends within 30 days.
    public struct ExpiringLicence: Sendable {
        public var title: String
        public var idAbonnement: String
        public var finValidite: Int64
        public var daysLeft: Int

        public init(title: String, idAbonnement: String, finValidite: Int64, daysLeft: Int) {
            self.title = title
            self.idAbonnement = idAbonnement
            self.finValidite = finValidite
            self.daysLeft = daysLeft
        }
    }

    public var version: String
    public var uai: String
    public var diskUsedPercent: Int
    public var diskUsedBytes: Int64
    public var diskFreeBytes: Int64
    public var diskWarning: Bool
    public var lastPull: Int64?
    public var pullFailing: Bool
    public var lastPush: Int64?
    public var pushFailing: Bool
    public var outboxPending: Int
    public var outboxOldest: Int64?
    public var quarantined: Int
    public var clock: Clock
    /// What pupils type (`http://relais.local:8080/` first).
    public var urls: [String]
    /// The box's addresses, « 192.168.1.20 (eth0) ».
    public var addresses: [String]
    /// What the admin should act on, most urgent first.
    public var warnings: [Bilingual]
    public var expiring: [ExpiringLicence]

    public init(
        version: String, uai: String, diskUsedPercent: Int, diskUsedBytes: Int64, diskFreeBytes: Int64, diskWarning: Bool,
        lastPull: Int64?, pullFailing: Bool, lastPush: Int64?, pushFailing: Bool, outboxPending: Int, outboxOldest: Int64?,
        quarantined: Int, clock: Clock, urls: [String], addresses: [String], warnings: [Bilingual], expiring: [ExpiringLicence]
    ) {
        self.version = version
        self.uai = uai
        self.diskUsedPercent = diskUsedPercent
        self.diskUsedBytes = diskUsedBytes
        self.diskFreeBytes = diskFreeBytes
        self.diskWarning = diskWarning
        self.lastPull = lastPull
        self.pullFailing = pullFailing
        self.lastPush = lastPush
        self.pushFailing = pushFailing
        self.outboxPending = outboxPending
        self.outboxOldest = outboxOldest
        self.quarantined = quarantined
        self.clock = clock
        self.urls = urls
        self.addresses = addresses
        self.warnings = warnings
        self.expiring = expiring
    }

    /// One line of the facts table; `warn` adds a visible « à vérifier » mark (not colour alone).
    struct Row {
        let label: String
        let value: String
        let warn: Bool
    }

    struct LicenceRow {
        let title: String
        let idAbonnement: String
        let end: String
        let daysLeft: String
    }

    /// What the template reads (stored properties only: the renderer reflects them).
    struct View {
        let st: BoxStateTexts
        let rows: [Row]
        let warnings: [String]
        let hasWarnings: Bool
        let warningCount: Int
        let urls: [String]
        let licences: [LicenceRow]
        let hasLicences: Bool
    }

    func view(_ l: Language) -> View {
        let t = BoxStateTexts.pick(l)
        let never = t.never
        func moment(_ seconds: Int64?) -> String { seconds.map { SlotText.moment($0, l) } ?? never }
        let clockText: String
        let clockWarn: Bool
        switch clock {
        case .ok: (clockText, clockWarn) = (t.clockOK, false)
        case .unknown: (clockText, clockWarn) = (t.clockUnknown, false)
        case .behind(let seconds): (clockText, clockWarn) = ("\(t.clockBehind) \(Self.duration(seconds, l))", true)
        case .ahead(let seconds): (clockText, clockWarn) = ("\(t.clockAhead) \(Self.duration(seconds, l))", true)
        }
        let outbox = outboxOldest.map { "\(outboxPending) · \(t.oldest) \(SlotText.moment($0, l))" } ?? "\(outboxPending)"
        let rows = [
            Row(label: t.version, value: version, warn: false),
            Row(label: t.uai, value: uai, warn: false),
            Row(label: t.disk, value: "\(diskUsedPercent) % \(t.used) · \(ByteCount.format(diskFreeBytes)) \(t.free)", warn: diskWarning),
            Row(label: t.lastPull, value: moment(lastPull), warn: pullFailing),
            Row(label: t.lastPush, value: moment(lastPush), warn: pushFailing),
            Row(label: t.outbox, value: outbox, warn: false),
            Row(label: t.quarantined, value: "\(quarantined)", warn: quarantined > 0),
            Row(label: t.clock, value: clockText, warn: clockWarn),
            Row(label: t.addresses, value: addresses.isEmpty ? t.none : addresses.joined(separator: ", "), warn: addresses.isEmpty),
        ]
        let licences = expiring.map {
            LicenceRow(
                title: $0.title, idAbonnement: $0.idAbonnement, end: SlotText.moment($0.finValidite, l),
                daysLeft: "\($0.daysLeft) \($0.daysLeft > 1 ? t.days : t.day)")
        }
        return View(
            st: t, rows: rows, warnings: warnings.map { $0.pick(l) }, hasWarnings: !warnings.isEmpty, warningCount: warnings.count,
            urls: urls, licences: licences, hasLicences: !licences.isEmpty)
    }

    static func duration(_ seconds: Int64, _ l: Language) -> String {
        if seconds >= 2 * 86_400 { return "\(seconds / 86_400) \(l.pick("jours", "days"))" }
        if seconds >= 3_600 { return "\(seconds / 3_600) h \(seconds % 3_600 / 60) min" }
        return "\(max(1, seconds / 60)) min"
    }
}

struct BoxStateTexts: Sendable {
    let title: String
    let intro: String
    let warningsTitle: String
    let attention: String
    let toCheck: String
    let allGood: String
    let fact: String
    let value: String
    let version: String
    let uai: String
    let disk: String
    let used: String
    let free: String
    let lastPull: String
    let lastPush: String
    let never: String
    let outbox: String
    let oldest: String
    let quarantined: String
    let clock: String
    let clockOK: String
    let clockUnknown: String
    let clockBehind: String
    let clockAhead: String
    let addresses: String
    let none: String
    let reachTitle: String
    let reachHelp: String
    let licencesTitle: String
    let resource: String
    let abonnement: String
    let end: String
    let left: String
    let day: String
    let days: String

    static let fr = BoxStateTexts(
        title: "État de la box", intro: "Les mêmes informations que la commande relais status.",
        warningsTitle: "À traiter", attention: "Attention :", toCheck: "à vérifier", allGood: "Rien à signaler : la box fonctionne normalement.",
        fact: "Élément", value: "Valeur", version: "Version de Relais", uai: "UAI", disk: "Disque", used: "utilisés", free: "libres",
        lastPull: "Dernière synchronisation du catalogue", lastPush: "Dernier envoi des traces d'usage", never: "jamais",
        outbox: "Traces en attente d'envoi", oldest: "la plus ancienne :", quarantined: "Traces refusées (quarantaine)",
        clock: "Horloge", clockOK: "à l'heure", clockUnknown: "pas encore vérifiée (aucune synchronisation)",
        clockBehind: "en retard de", clockAhead: "en avance de", addresses: "Adresses réseau", none: "aucune",
        reachTitle: "Comment les élèves accèdent à la box",
        reachHelp: "Sur une tablette ou un ordinateur de l'établissement, saisir l'une de ces adresses :",
        licencesTitle: "Licences qui se terminent dans les 30 jours", resource: "Ressource", abonnement: "Abonnement",
        end: "Fin de validité", left: "Reste", day: "jour", days: "jours")
    static let en = BoxStateTexts(
        title: "Box status", intro: "The same facts as the relais status command.",
        warningsTitle: "To deal with", attention: "Warning:", toCheck: "check this", allGood: "Nothing to report: the box works normally.",
        fact: "Item", value: "Value", version: "Relais version", uai: "UAI", disk: "Disk", used: "used", free: "free",
        lastPull: "Last catalogue sync", lastPush: "Last usage records sent", never: "never",
        outbox: "Usage records waiting to be sent", oldest: "oldest:", quarantined: "Refused records (quarantine)",
        clock: "Clock", clockOK: "on time", clockUnknown: "not checked yet (no sync)",
        clockBehind: "behind by", clockAhead: "ahead by", addresses: "Network addresses", none: "none",
        reachTitle: "How pupils reach the box",
        reachHelp: "On a school tablet or computer, type one of these addresses:",
        licencesTitle: "Licences ending within 30 days", resource: "Resource", abonnement: "Subscription",
        end: "Valid until", left: "Left", day: "day", days: "days")
    static func pick(_ l: Language) -> BoxStateTexts { l == .fr ? fr : en }
}
