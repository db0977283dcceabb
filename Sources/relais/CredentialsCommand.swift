import ArgumentParser
import Foundation
import RelaisStore

/// `relais credentials add`: Basic credentials for an activity provider on the LAN, a client of
/// the box's local LRS (`/xapi/`) that may write statements and read back its own.
struct CredentialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials", abstract: "Manage credentials of the local LRS (/xapi/).",
        subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create Basic credentials for an activity provider; prints key:secret once.",
            discussion: "The secret is shown only now (the box keeps its hash). Give it to the provider as the Basic user:password of http://BOX:8080/xapi/.")

        @OptionGroup var options: DataOptions

        @Option(help: "Who the credentials are for, e.g. the provider's name.")
        var name: String

        func validate() throws {
            if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        }

        func run() throws {
            let credential = try options.openBox().addCredential(name: name)
            print("\(credential.key):\(credential.secret)")
        }
    }
}
