import Foundation
import Testing

@testable import RelaisPages

/// With `RELAIS_PAGES_SNAPSHOTS=DIR`, writes every page (ordinary data, both languages) and the
/// stylesheet to DIR, to look at them in a browser or take screenshots; does nothing otherwise.
@Suite struct SnapshotTests {
    @Test func writeSnapshotsWhenAsked() throws {
        guard let folder = ProcessInfo.processInfo.environment["RELAIS_PAGES_SNAPSHOTS"], !folder.isEmpty else { return }
        let root = URL(fileURLWithPath: folder)
        let static_ = root.appendingPathComponent("static")
        try FileManager.default.createDirectory(at: static_, withIntermediateDirectories: true)
        try Assets.css.write(to: static_.appendingPathComponent("relais.css"), atomically: true, encoding: .utf8)
        for language in Language.allCases {
            for page in Fixtures.ordinaryPages(language: language) {
                let name = "\(type(of: page))-\(language.rawValue).html"
                // Relative to the folder, so a file:// URL finds the stylesheet.
                let html = Pages.render(page, language: language).replacingOccurrences(of: "href=\"\(Assets.cssURL)\"", with: "href=\"static/relais.css\"")
                try html.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
    }
}
