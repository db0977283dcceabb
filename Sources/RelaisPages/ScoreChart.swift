/// One activity's results at a glance, as inline SVG: the distribution of scores (10 bars of
/// 10 %, how many pupils in each) and the completion rate (« 18/25 terminé »). Pure: numbers in,
/// SVG text out.
///
/// Accessible and printable: `role="img"` with a `<title>` and a `<desc>` that say every number
/// in words; bars in solid black with their counts written above them, the completion bar
/// black on white with a black border, so nothing is told by colour alone and it prints in black
/// and white; every text escaped.
public struct ScoreChart: Sendable, Equatable {
    /// The activity's name (in the title).
    public var activity: String
    /// One per pupil: the scaled score (xAPI `result.score.scaled`, 0…1; outside is clamped), nil
    /// when the pupil has no score.
    public var scores: [Double?]
    /// Pupils who completed the activity, and pupils expected (the class or the séance's joiners).
    public var completed: Int
    public var total: Int
    public var language: Language
    /// Prefix of the ids of `<title>` and `<desc>` (unique per chart when a page shows several).
    public var id: String

    public init(activity: String, scores: [Double?], completed: Int, total: Int, language: Language = .fr, id: String = "graphique") {
        self.activity = activity
        self.id = id
        self.scores = scores
        self.completed = completed
        self.total = total
        self.language = language
    }

    /// The number of scores in each 10 % band: [0, 10 %), [10 %, 20 %), …, [90 %, 100 %] (100 %
    /// in the last band). Scores are rounded to the percent first (0.299999 is 30 %).
    public var bins: [Int] {
        var bins = Array(repeating: 0, count: 10)
        for case let score? in scores where score.isFinite {
            let percent = Int((min(max(score, 0), 1) * 100).rounded())
            bins[min(percent / 10, 9)] += 1
        }
        return bins
    }

    /// Pupils without a score.
    public var unscored: Int { scores.filter { $0 == nil || !($0!.isFinite) }.count }

    // Geometry (user units; the SVG scales to its container's width).
    static let width = 560
    static let chartLeft = 40
    static let chartTop = 56
    static let chartHeight = 150
    static let barSlot = 50
    static let barWidth = 36
    static let height = 300

    /// The chart as an `<svg>` element, to put inline in a page.
    public func svg() -> String {
        let t = ScoreChartTexts.pick(language)
        let bins = bins
        let peak = max(bins.max() ?? 0, 1)
        let completed = max(0, min(self.completed, max(total, 0)))
        let total = max(self.total, 0)
        let title = t.title(activity)
        let desc = description(t, bins: bins, completed: completed, total: total)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="score-chart" role="img" aria-labelledby="\(Self.escape(id))-titre \(Self.escape(id))-desc" \
            viewBox="0 0 \(Self.width) \(Self.height)" width="\(Self.width)" height="\(Self.height)" font-family="Arial,Helvetica,sans-serif" font-size="13">
            <title id="\(Self.escape(id))-titre">\(Self.escape(title))</title>
            <desc id="\(Self.escape(id))-desc">\(Self.escape(desc))</desc>
            <rect x="0" y="0" width="\(Self.width)" height="\(Self.height)" fill="#ffffff"/>
            <text x="\(Self.chartLeft)" y="20" font-weight="bold" fill="#000000">\(Self.escape(t.distribution))</text>

            """
        let baseline = Self.chartTop + Self.chartHeight
        out += "<line x1=\"\(Self.chartLeft)\" y1=\"\(baseline)\" x2=\"\(Self.chartLeft + 10 * Self.barSlot)\" y2=\"\(baseline)\" stroke=\"#000000\" stroke-width=\"2\"/>\n"
        for (index, count) in bins.enumerated() {
            let x = Self.chartLeft + index * Self.barSlot + (Self.barSlot - Self.barWidth) / 2
            let barHeight = count * Self.chartHeight / peak
            let centre = x + Self.barWidth / 2
            if count > 0 {
                out += "<rect class=\"bin\" data-bin=\"\(index)\" data-count=\"\(count)\" x=\"\(x)\" y=\"\(baseline - barHeight)\" width=\"\(Self.barWidth)\" height=\"\(barHeight)\" fill=\"#000000\"/>\n"
            }
            out += "<text x=\"\(centre)\" y=\"\(baseline - barHeight - 6)\" text-anchor=\"middle\" fill=\"#000000\">\(count)</text>\n"
            out += "<text x=\"\(centre)\" y=\"\(baseline + 18)\" text-anchor=\"middle\" fill=\"#000000\" font-size=\"11\">\(index * 10)–\(index * 10 + 10)</text>\n"
        }
        out += "<text x=\"\(Self.chartLeft + 5 * Self.barSlot)\" y=\"\(baseline + 36)\" text-anchor=\"middle\" fill=\"#000000\">\(Self.escape(t.axis(unscored)))</text>\n"
        // Completion: a bar as wide as the class, filled in black for those who completed.
        let barTop = baseline + 52
        let barLength = 10 * Self.barSlot
        let filled = total > 0 ? completed * barLength / total : 0
        out += "<rect x=\"\(Self.chartLeft)\" y=\"\(barTop)\" width=\"\(barLength)\" height=\"14\" fill=\"#ffffff\" stroke=\"#000000\" stroke-width=\"2\"/>\n"
        if filled > 0 {
            out += "<rect class=\"completed\" x=\"\(Self.chartLeft)\" y=\"\(barTop)\" width=\"\(filled)\" height=\"14\" fill=\"#000000\"/>\n"
        }
        out += "<text class=\"completion\" x=\"\(Self.chartLeft)\" y=\"\(barTop + 34)\" font-weight=\"bold\" fill=\"#000000\">\(Self.escape(t.completion(completed, total)))</text>\n"
        out += "</svg>"
        return out
    }

    /// Every number in words, for `<desc>`.
    func description(_ t: ScoreChartTexts, bins: [Int], completed: Int, total: Int) -> String {
        var parts = [t.completionSentence(completed, total)]
        let scored = bins.reduce(0, +)
        if scored == 0 {
            parts.append(t.noScore)
        } else {
            let bands = bins.enumerated().filter { $0.element > 0 }.map { t.band($0.element, $0.offset * 10, $0.offset * 10 + 10) }
            parts.append(t.scores(scored) + " " + bands.joined(separator: ", ") + ".")
        }
        if unscored > 0 { parts.append(t.unscoredSentence(unscored)) }
        return parts.joined(separator: " ")
    }

    /// Text for SVG/XML: `& < > " '` escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

struct ScoreChartTexts: Sendable {
    let title: @Sendable (String) -> String
    let distribution: String
    let axis: @Sendable (Int) -> String
    let completion: @Sendable (Int, Int) -> String
    let completionSentence: @Sendable (Int, Int) -> String
    let noScore: String
    let scores: @Sendable (Int) -> String
    let band: @Sendable (Int, Int, Int) -> String
    let unscoredSentence: @Sendable (Int) -> String

    static let fr = ScoreChartTexts(
        title: { "Résultats : \($0)" }, distribution: "Répartition des scores (nombre d'élèves par tranche de 10 %)",
        axis: { $0 == 0 ? "Score en %" : "Score en % · sans score : \($0)" },
        completion: { "\($0)/\($1) terminé" },
        completionSentence: { "\($0) élève\($0 > 1 ? "s" : "") sur \($1) \($0 > 1 ? "ont" : "a") terminé." },
        noScore: "Aucun score.", scores: { "\($0) score\($0 > 1 ? "s" : "") :" },
        band: { "\($0) entre \($1) et \($2) %" },
        unscoredSentence: { "\($0) élève\($0 > 1 ? "s" : "") sans score." })
    static let en = ScoreChartTexts(
        title: { "Results: \($0)" }, distribution: "Score distribution (pupils per 10 % band)",
        axis: { $0 == 0 ? "Score in %" : "Score in % · no score: \($0)" },
        completion: { "\($0)/\($1) completed" },
        completionSentence: { "\($0) of \($1) pupil\($1 == 1 ? "" : "s") completed." },
        noScore: "No score.", scores: { "\($0) score\($0 == 1 ? "" : "s"):" },
        band: { "\($0) between \($1) and \($2) %" },
        unscoredSentence: { "\($0) pupil\($0 == 1 ? "" : "s") without a score." })

    static func pick(_ l: Language) -> ScoreChartTexts { l == .fr ? fr : en }
}
