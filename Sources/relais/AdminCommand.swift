import ArgumentParser
import Foundation
import RelaisStore

/// `relais admin`: getting into `/admin` from the box's console, when no one can from a browser.
struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Admin access: a new setup code, or a password reset code.",
        subcommands: [SetupCode.self, Reset.self])

    struct SetupCode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "setup-code", abstract: "Print a new one-time setup code for /admin (only while no admin account exists).",
            discussion: "The earlier code stops working. Once an admin exists, use `relais admin reset --login LOGIN`.")

        @OptionGroup var options: DataOptions

        func run() throws {
            let code = try options.openBox().newAdminSetupCode()
            printSetupCode(code)
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a one-time code (valid 72 h) with which a staff member sets a new password.",
            discussion: "Earlier codes of that person stop working. The person types their login, this code and a new password on the sign-in page.")

        @OptionGroup var options: DataOptions

        @Option(help: "Login of the staff member, e.g. anne.martin.")
        var login: String

        func run() throws {
            let box = try options.openBox()
            guard let person = try box.person(login: login) else {
                throw PeopleError(.notFound,
                    "aucun compte n'a l'identifiant « \(login) » ; la page Personnel de /admin donne les identifiants",
                    "no staff account has the login “\(login)”; the staff page of /admin lists the logins")
            }
            let code = try box.issueResetCode(personId: person.id)
            print("Code de réinitialisation pour \(person.login) (valable 72 h, une seule fois) : \(code)")
            print("Reset code for \(person.login) (valid 72 h, once): \(code)")
        }
    }
}

/// The setup code and what to do with it, French first.
func printSetupCode(_ code: String) {
    print("Code de mise en service : \(code) — ouvrez http://BOX:8080/admin et tapez ce code pour créer le compte admin.")
    print("Setup code: \(code) — open http://BOX:8080/admin and type this code to create the admin account.")
}
