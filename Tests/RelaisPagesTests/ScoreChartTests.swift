import Foundation
import Testing

@testable import RelaisPages

@Suite struct ScoreChartTests {
    /// The count drawn for each band (the `data-count` of its bar; no bar for an empty band).
    func drawnCounts(_ svg: String) -> [Int] {
        var counts = Array(repeating: 0, count: 10)
        for m in svg.matches(of: /data-bin="(\d+)" data-count="(\d+)"/) {
            counts[Int(m.output.1)!] = Int(m.output.2)!
        }
        return counts
    }

    @Test func countsEveryScoreInItsTenPercentBand() {
        let chart = ScoreChart(activity: "Fractions", scores: [0, 0.05, 0.1, 0.35, 0.39, 0.5, 0.95, 1.0, nil, 0.299999], completed: 18, total: 25)
        #expect(chart.bins == [2, 1, 0, 3, 0, 1, 0, 0, 0, 2])
        #expect(chart.unscored == 1)
        let svg = chart.svg()
        #expect(drawnCounts(svg) == chart.bins)
        #expect(svg.contains(">18/25 terminé</text>"))
        #expect(svg.contains("<title id=\"graphique-titre\">Résultats : Fractions</title>"))
        #expect(svg.contains("18 élèves sur 25 ont terminé. 9 scores : 2 entre 0 et 10 %, 1 entre 10 et 20 %, 3 entre 30 et 40 %, 1 entre 50 et 60 %, 2 entre 90 et 100 %. 1 élève sans score."))
    }

    @Test func aPerfectScoreGoesInTheLastBandAndOutOfRangeScoresAreClamped() {
        #expect(ScoreChart(activity: "a", scores: [1.0, 1.0], completed: 2, total: 2).bins == [0, 0, 0, 0, 0, 0, 0, 0, 0, 2])
        #expect(ScoreChart(activity: "a", scores: [-0.5, 1.7, .nan], completed: 0, total: 3).bins == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    }

    @Test func noPupilDrawsAnEmptyChartThatSaysSo() {
        let svg = ScoreChart(activity: "Fractions", scores: [], completed: 0, total: 0).svg()
        #expect(drawnCounts(svg) == Array(repeating: 0, count: 10))
        #expect(!svg.contains("class=\"bin\"") && !svg.contains("class=\"completed\""))
        #expect(svg.contains(">0/0 terminé</text>"))
        #expect(svg.contains("0 élève sur 0 a terminé. Aucun score."))
        #expect(!svg.contains("nan") && !svg.contains("inf"), "no division by zero shows")
    }

    @Test func pupilsWithoutScoresAreCountedApart() {
        let chart = ScoreChart(activity: "Lecture", scores: [nil, nil, nil], completed: 3, total: 3)
        #expect(chart.bins == Array(repeating: 0, count: 10))
        let svg = chart.svg()
        #expect(svg.contains("Aucun score. 3 élèves sans score."))
        #expect(svg.contains("sans score : 3"))
        #expect(svg.contains("class=\"completed\" x=\"40\" y=\"258\" width=\"500\""), "all completed: the bar is full")
    }

    @Test func isAccessibleAndPrintsInBlackAndWhite() {
        let svg = ScoreChart(activity: "Fractions", scores: [0.5], completed: 1, total: 2, id: "a1").svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"score-chart\" role=\"img\" aria-labelledby=\"a1-titre a1-desc\""))
        #expect(svg.contains("<desc id=\"a1-desc\">"))
        let fills = Set(svg.matches(of: /fill="([^"]*)"/).map { String($0.output.1) })
        #expect(fills == ["#ffffff", "#000000"], "black on white only: \(fills)")
        #expect(svg.contains("class=\"completed\" x=\"40\" y=\"258\" width=\"250\""), "half the class: half the bar")
        #expect(!svg.contains("<script") && !svg.contains("href"))
    }

    @Test func escapesEveryText() {
        let svg = ScoreChart(activity: "<script>alert('x')</script> & \"co\"", scores: [0.2], completed: 1, total: 1, id: "\"><b").svg()
        #expect(!svg.contains("<script>") && !svg.contains("\"><b"))
        #expect(svg.contains("Résultats : &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"))
    }

    @Test func speaksEnglishToo() {
        let svg = ScoreChart(activity: "Fractions", scores: [0.8, 0.85], completed: 1, total: 4, language: .en).svg()
        #expect(svg.contains(">1/4 completed</text>"))
        #expect(svg.contains("1 of 4 pupils completed. 2 scores: 2 between 80 and 90 %."))
    }
}

/// With `RELAIS_PAGES_SNAPSHOTS=DIR`, writes a sample chart (both languages) to DIR, to look at.
@Suite struct ScoreChartSnapshotTests {
    @Test func writeSnapshotWhenAsked() throws {
        guard let folder = ProcessInfo.processInfo.environment["RELAIS_PAGES_SNAPSHOTS"], !folder.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let scores: [Double?] = [0.35, 0.5, 0.55, 0.6, 0.7, 0.72, 0.75, 0.8, 0.8, 0.85, 0.9, 0.95, 1, 1, nil, nil, 0.05, 0.62]
        for language in Language.allCases {
            let svg = ScoreChart(activity: "Fractions — CM2 B", scores: scores, completed: 18, total: 25, language: language).svg()
            try svg.write(toFile: "\(folder)/ScoreChart-\(language.rawValue).svg", atomically: true, encoding: .utf8)
        }
    }
}
