import ArgumentParser
import RelaisStore

/// `relais doctor`: check the box's database and store; exit 1 when something needs doing.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "Check the box's database and content store.")

    @OptionGroup var options: DataOptions
    @Flag(help: "Recompute every blob's SHA-256 (reads the whole store).") var deep = false
    @Flag(help: "Remove store files that nothing references.") var repair = false

    func run() throws {
        let box = try options.openBox()
        let report = try box.doctor(deep: deep, repair: repair)
        for line in report.checks { print("ok: \(line)") }
        for line in report.problems { print("PROBLÈME / problem: \(line)") }
        if !report.problems.isEmpty { throw ExitCode.failure }
    }
}
