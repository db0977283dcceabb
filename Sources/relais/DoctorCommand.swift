import ArgumentParser
import RelaisServer
import RelaisStore

/// `relais doctor`: permissions, disk, database integrity, content store, trust root, upstream
/// LRS and repository reachability, clock, ports; one line per problem with the command that
/// fixes it; exit 1 when something needs doing.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the box: permissions, disk, database, store, trust root, upstream, repository, clock, ports.")

    @OptionGroup var options: DataOptions
    @Flag(help: "Recompute every blob's SHA-256 (reads the whole store).") var deep = false
    @Flag(help: "Remove store files that nothing references.") var repair = false
    @Flag(help: "Skip the network checks (upstream LRS, repository, ports).") var offline = false

    func run() async throws {
        let box: Box
        do {
            box = try options.openBox(logLevel: .critical)
        } catch {
            // A database that does not even open is the worst case of integrity.
            print("PROBLÈME / problem: the box cannot be opened (\(error)) — restore the last backup: relais restore --data \(options.directory.root.path) BACKUP_FILE")
            throw ExitCode.failure
        }
        var report = DoctorReport()
        do {
            report.append(try box.doctor(deep: deep, repair: repair))
        } catch {
            report.problems.append("database: cannot be read (\(error)) — restore the last backup: relais restore --data \(box.directory.root.path) BACKUP_FILE")
        }
        do {
            report.append(try box.environmentChecks())
        } catch {
            report.problems.append("database: cannot be read (\(error)) — restore the last backup: relais restore --data \(box.directory.root.path) BACKUP_FILE")
        }
        if !offline { report.append(await NetworkDoctor.check(box: box)) }
        for line in report.checks { print("ok: \(line)") }
        for line in report.problems { print("PROBLÈME / problem: \(line)") }
        if !report.problems.isEmpty { throw ExitCode.failure }
    }
}
