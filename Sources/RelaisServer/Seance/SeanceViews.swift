import Foundation
import RelaisCore
import RelaisPages
import RelaisQR
import RelaisSeance
import RelaisStore

/// What the séance pages share: the progress table from the domain's numbers, QR codes as images,
/// the activity lines.
enum SeanceViews {
    static func table(_ progress: SeanceProgress) -> ProgressTable {
        ProgressTable(
            activities: progress.activities.map(\.title),
            rows: progress.rows.map { row in
                ProgressRowItem(pupilName: row.pupil.displayName, joined: row.joinedAt != nil, cells: row.cells.map(cell))
            })
    }

    static func cell(_ c: ProgressCell) -> ProgressCellItem {
        ProgressCellItem(launched: c.launched, completed: c.completed, success: c.success, score: c.score, seconds: c.seconds)
    }

    static func state(_ s: Seance.State) -> SeanceStateName { SeanceStateName(rawValue: s.rawValue) ?? .brouillon }

    /// A QR code of `text` as an `<img>` source (an SVG data URL: the template escapes it like
    /// any attribute; nothing is fetched).
    static func qrImage(_ text: String, title: String) -> String {
        guard let svg = try? QRCode.svg(text, title: title) else { return "" }
        return "data:image/svg+xml;base64," + Data(svg.utf8).base64EncodedString()
    }

    /// « SCORM 2004 · Solution » for an activity line.
    static func detail(_ manifest: BundleManifest) -> String {
        let standard: String
        switch manifest.standard {
        case .scorm12: standard = "SCORM 1.2"
        case .scorm2004: standard = "SCORM 2004"
        case .cmi5: standard = "cmi5"
        case .html5: standard = "HTML5"
        case .video: standard = "vidéo"
        case .pdf: standard = "PDF"
        }
        return "\(standard) · \(manifest.publisher)"
    }

    /// One activity's chart for the report: the score distribution and the completion rate.
    static func chart(_ summary: ActivitySummary, pupils: Int, _ l: Language) -> SeancePage.Chart {
        let scores = summary.scores.map { Int(($0 * 100).rounded()) }
        let mean = scores.isEmpty ? nil : scores.reduce(0, +) / scores.count
        let words = l.pick(
            "\(summary.completed) élève(s) sur \(pupils) ont terminé ; \(scores.count) score(s)" + (mean.map { ", moyenne \($0) %" } ?? ""),
            "\(summary.completed) of \(pupils) pupils completed; \(scores.count) score(s)" + (mean.map { ", mean \($0) %" } ?? ""))
        let svg = ScoreChart(
            activity: summary.activity.title, scores: summary.scores.map { Optional($0) }, completed: summary.completed, total: pupils, language: l,
            id: "graphique-\(summary.activity.position)"
        ).svg()
        return SeancePage.Chart(
            title: summary.activity.title, imageURL: svg.isEmpty ? "" : "data:image/svg+xml;base64," + Data(svg.utf8).base64EncodedString(),
            description: words)
    }

    static func list(_ seance: Seance, className: String, activityCount: Int) -> SeanceListItem {
        SeanceListItem(
            id: seance.id, title: seance.title, className: className, state: state(seance.state), slotStart: seance.slotStart, slotEnd: seance.slotEnd,
            activityCount: activityCount, libre: seance.kind == .libre)
    }
}

