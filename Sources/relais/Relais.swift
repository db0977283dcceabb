import ArgumentParser
import Foundation
import RelaisCore

/// The `relais` command: one executable, one file per verb, the work done in the libraries.
@main
struct Relais: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relais",
        abstract: "Relais, la box hors ligne de l'établissement / the school's offline box.",
        version: RelaisVersion.current,
        subcommands: [
            InitCommand.self, SetupCommand.self, ServeCommand.self, BundleCommand.self, ImportCommand.self,
            StatusCommand.self, ConfigCommand.self, DoctorCommand.self, SyncCommand.self, TUFCommand.self, RepoCommand.self,
            CredentialsCommand.self, ReportCommand.self, AdminCommand.self, PeopleCommand.self, SeanceCommand.self, PurgeCommand.self,
            BackupCommand.self, RestoreCommand.self,
            GCCommand.self, FsckCommand.self,
        ])

    /// Exit codes of the contract: 0 success, 1 refused or failed (one line on stderr saying what
    /// to do), 2 usage error.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            Foundation.exit(report(error))
        }
    }

    /// Prints what went wrong where the contract says and returns the exit code.
    static func report(_ error: any Error) -> Int32 {
        if let exit = error as? ExitCode { return exit.rawValue }
        // Help, --version and usage errors come from ArgumentParser (`--help` surfaces only when
        // the parsed command runs, so this is checked for every error, not just parse errors).
        if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") || error is ValidationError {
            let message = fullMessage(for: error)
            if exitCode(for: error) == .success {
                print(message)
                return 0
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            return 2
        }
        let line = "\(error)".replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("relais: \(line)\n".utf8))
        return 1
    }
}
