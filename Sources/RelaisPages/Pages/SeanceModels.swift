import Foundation
import RelaisCore

/// The state of a séance as pages name it (the store's raw values).
public enum SeanceStateName: String, Sendable, CaseIterable {
    case brouillon, confiee, enCours = "en_cours", terminee

    func name(_ l: Language) -> String {
        switch self {
        case .brouillon: return l.pick("brouillon", "draft")
        case .confiee: return l.pick("confiée", "handed over")
        case .enCours: return l.pick("en cours", "running")
        case .terminee: return l.pick("terminée", "ended")
        }
    }
}

/// A séance in a list (the teacher's page, the admin's page).
public struct SeanceListItem: Sendable {
    public var id: String
    public var title: String
    public var className: String
    public var state: SeanceStateName
    /// Seconds since 1970, nil when no slot was set.
    public var slotStart: Int64?
    public var slotEnd: Int64?
    public var activityCount: Int
    public var libre: Bool

    public init(id: String, title: String, className: String, state: SeanceStateName, slotStart: Int64?, slotEnd: Int64?, activityCount: Int, libre: Bool) {
        self.id = id
        self.title = title
        self.className = className
        self.state = state
        self.slotStart = slotStart
        self.slotEnd = slotEnd
        self.activityCount = activityCount
        self.libre = libre
    }

    struct View {
        let title: String
        let url: String
        let className: String
        let state: String
        let stateClass: String
        let slot: String
        let count: String
    }

    func view(_ l: Language) -> View {
        View(
            title: title, url: URLs.localized(PortalPaths.seance(id), l), className: className, state: state.name(l), stateClass: "etat-" + state.rawValue,
            slot: SlotText.slot(slotStart, slotEnd, l) ?? (libre ? l.pick("accès libre", "open access") : l.pick("sans créneau", "no time slot")),
            count: l.pick(activityCount <= 1 ? "\(activityCount) activité" : "\(activityCount) activités", activityCount == 1 ? "1 activity" : "\(activityCount) activities"))
    }
}

/// One activity of a séance as pages show it.
public struct SeanceActivityItem: Sendable {
    public var position: Int
    public var title: String
    /// The bundle's kind and standard, e.g. « SCORM 2004 ».
    public var detail: String
    /// Why pupils could not open it now (licence ended, bundle gone), nil when they can.
    public var problem: Bilingual?

    public init(position: Int, title: String, detail: String, problem: Bilingual? = nil) {
        self.position = position
        self.title = title
        self.detail = detail
        self.problem = problem
    }
}

/// One pupil × activity of the progress table (already computed by the séance domain).
public struct ProgressCellItem: Sendable, Equatable {
    public var launched: Bool
    public var completed: Bool
    public var success: Bool?
    /// 0…1
    public var score: Double?
    public var seconds: Double

    public init(launched: Bool, completed: Bool, success: Bool?, score: Double?, seconds: Double) {
        self.launched = launched
        self.completed = completed
        self.success = success
        self.score = score
        self.seconds = seconds
    }
}

public struct ProgressRowItem: Sendable {
    public var pupilName: String
    public var joined: Bool
    public var cells: [ProgressCellItem]

    public init(pupilName: String, joined: Bool, cells: [ProgressCellItem]) {
        self.pupilName = pupilName
        self.joined = joined
        self.cells = cells
    }
}

/// The progress table of a séance: the substitute's live view, the teacher's report.
public struct ProgressTable: Sendable {
    public var activities: [String]
    public var rows: [ProgressRowItem]

    public init(activities: [String], rows: [ProgressRowItem]) {
        self.activities = activities
        self.rows = rows
    }

    struct CellView {
        let text: String
        let label: String
        let cssClass: String
    }

    struct RowView {
        let name: String
        let joined: String
        let cells: [CellView]
    }

    struct HeaderView {
        let number: Int
        let title: String
    }

    struct View {
        let headers: [HeaderView]
        let rows: [RowView]
        let joinedCount: String
        let hasRows: Bool
    }

    func view(_ l: Language) -> View {
        let rowsView = rows.map { row in
            RowView(
                name: row.pupilName, joined: row.joined ? l.pick("oui", "yes") : l.pick("non", "no"),
                cells: row.cells.map { Self.cell($0, l) })
        }
        let joined = rows.filter(\.joined).count
        return View(
            headers: activities.enumerated().map { HeaderView(number: $0.offset + 1, title: $0.element) }, rows: rowsView,
            joinedCount: l.pick("\(joined) élève(s) sur \(rows.count) ont rejoint la séance", "\(joined) of \(rows.count) pupils joined"),
            hasRows: !rows.isEmpty)
    }

    /// One cell: a short text (state, score, minutes) and its full reading for screen readers.
    static func cell(_ c: ProgressCellItem, _ l: Language) -> CellView {
        guard c.launched else { return CellView(text: "—", label: l.pick("pas commencée", "not started"), cssClass: "p-rien") }
        var parts: [String] = []
        var label: [String] = []
        if c.completed {
            parts.append(l.pick("terminé", "done"))
            label.append(l.pick("terminée", "completed"))
        } else {
            parts.append(l.pick("en cours", "started"))
            label.append(l.pick("commencée", "started"))
        }
        if let success = c.success {
            parts.append(success ? l.pick("réussi", "passed") : l.pick("échoué", "failed"))
            label.append(success ? l.pick("réussie", "passed") : l.pick("échouée", "failed"))
        }
        if let score = c.score {
            let percent = Int((score * 100).rounded())
            parts.append("\(percent) %")
            label.append(l.pick("score \(percent) %", "score \(percent) %"))
        }
        if c.seconds > 0 {
            let text = SlotText.minutes(c.seconds, l)
            parts.append(text)
            label.append(text)
        }
        let css = c.success == false ? "p-echec" : (c.completed ? "p-fini" : "p-cours")
        return CellView(text: parts.joined(separator: " · "), label: label.joined(separator: ", "), cssClass: css)
    }
}

/// Dates and durations as pages write them, in the box's time zone.
public enum SlotText {
    static func formatter(_ l: Language, _ pattern: String) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: l == .fr ? "fr_FR" : "en_GB")
        f.timeZone = TimeZone.current
        f.setLocalizedDateFormatFromTemplate(pattern)
        return f
    }

    /// « jeudi 10 décembre 2026, 10:00–11:00 », nil without a slot.
    public static func slot(_ start: Int64?, _ end: Int64?, _ l: Language) -> String? {
        guard let start else { return nil }
        let day = formatter(l, "EEEEdMMMMyyyy").string(from: Date(timeIntervalSince1970: TimeInterval(start)))
        let time = formatter(l, "HHmm")
        let from = time.string(from: Date(timeIntervalSince1970: TimeInterval(start)))
        guard let end else { return "\(day), \(from)" }
        return "\(day), \(from)–\(time.string(from: Date(timeIntervalSince1970: TimeInterval(end))))"
    }

    /// « jeudi 10 décembre 2026 à 11:00 ».
    public static func moment(_ seconds: Int64, _ l: Language) -> String {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        return formatter(l, "EEEEdMMMMyyyy").string(from: date) + l.pick(" à ", " at ") + formatter(l, "HHmm").string(from: date)
    }

    /// « 3 min », « moins d'une minute ».
    static func minutes(_ seconds: Double, _ l: Language) -> String {
        let minutes = Int((seconds / 60).rounded())
        return minutes < 1 ? l.pick("< 1 min", "< 1 min") : "\(minutes) min"
    }

    /// `YYYY-MM-DD` and `HH:MM` for the form's fields.
    public static func formValues(_ seconds: Int64?) -> (date: String, time: String) {
        guard let seconds else { return ("", "") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return (String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0), String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0))
    }

    /// The seconds of a date and a time typed in the form (box time zone); nil when either is
    /// empty or malformed.
    public static func parse(date: String, time: String) -> Int64? {
        let d = date.split(separator: "-").compactMap { Int($0) }
        let t = time.split(separator: ":").compactMap { Int($0) }
        guard d.count == 3, t.count >= 2, (1...12).contains(d[1]), (1...31).contains(d[2]), (0...23).contains(t[0]), (0...59).contains(t[1]), (2000...2200).contains(d[0])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        guard let when = calendar.date(from: DateComponents(year: d[0], month: d[1], day: d[2], hour: t[0], minute: t[1])) else { return nil }
        // 31 février is refused rather than moved to 3 mars.
        let back = calendar.dateComponents([.year, .month, .day], from: when)
        guard back.year == d[0], back.month == d[1], back.day == d[2] else { return nil }
        return Int64(when.timeIntervalSince1970)
    }
}
