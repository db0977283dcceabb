import ArgumentParser
import Foundation
import RelaisStore

/// `relais purge`: deletes pupils' data older than `privacy.retentionDays` now (`serve` does it daily).
struct PurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge", abstract: "Delete pupils' statements, launches and SCORM data older than privacy.retentionDays.",
        discussion: "Statements still waiting to be pushed upstream are kept until pushed. Guests' and staff's data are not touched.")

    @OptionGroup var options: DataOptions

    func run() throws {
        let box = try options.openBox()
        let days = try box.setting("privacy.retentionDays")
        let report = try box.purge()
        print("Purge des données des élèves de plus de \(days) jours / pupils' data older than \(days) days:")
        for line in report.lines { print("  \(line)") }
    }
}
