import ArgumentParser
import Foundation
import RelaisStore

/// `relais report`: reports computed from the box's usage records.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Usage reports (GAR décompte).", subcommands: [DecompteCommand.self])
}

/// `relais report decompte --data DIR [--out FILE]`: GAR's décompte CSV, one row per abonnement
/// of the licence document, counting distinct (pseudonymous) learners who launched its resource
/// while it was valid, per public. Until sign-in exists every learner is a guest, counted as ELEVE.
struct DecompteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decompte",
        abstract: "Write the GAR décompte CSV (UAI;idAbonnement;codeProjetRessource;idRessource;cumulAffectation…).",
        discussion: "Guests (no sign-in yet) count as ELEVE. codeProjetRessource is empty: licence documents do not carry it.")

    @OptionGroup var options: DataOptions
    @Option(help: "Write the CSV to this file instead of standard output.") var out: String?

    func run() throws {
        let box = try options.openBox()
        guard try box.licenceDocument() != nil else {
            throw ReportFailure("no licence document on this box: run `relais sync` first (the décompte counts per abonnement)")
        }
        let csv = try box.decompteCSV()
        if let out {
            do {
                try Data(csv.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw ReportFailure("cannot write \(out): \(error.localizedDescription); choose a writable path")
            }
        } else {
            print(csv, terminator: "")
        }
    }
}

/// A refusal with its one-line reason (exit 1).
struct ReportFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
