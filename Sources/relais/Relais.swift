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
            InitCommand.self, ServeCommand.self, BundleCommand.self, ImportCommand.self,
            StatusCommand.self, ConfigCommand.self, DoctorCommand.self,
        ])

    /// Exit codes of the contract: 0 success, 1 refused or failed (one line on stderr saying what
    /// to do), 2 usage error.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let line = "\(error)".replacingOccurrences(of: "\n", with: " ")
            FileHandle.standardError.write(Data("relais: \(line)\n".utf8))
            Foundation.exit(1)
        }
    }
}
