import ArgumentParser
import Foundation
import RelaisStore

/// `relais admin`: getting into `/admin` from the box's console, when no one can from a browser.
struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Admin access: a new setup code, a password reset code, or a password set from the console.",
        subcommands: [SetupCode.self, Reset.self, Password.self])

    struct SetupCode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "setup-code", abstract: "Print a new one-time setup code for /admin (only while no admin account exists).",
            discussion: "The earlier code stops working. Once an admin exists, use `relais admin reset --login LOGIN`.")

        @OptionGroup var options: DataOptions

        func run() throws {
            let box = try options.openBox()
            printSetupCode(try box.newAdminSetupCode(), box: box)
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

extension AdminCommand {
    /// `relais admin password`: for scripts and the demo, which have no browser to type a reset
    /// code into. The password comes on standard input so it shows in no process list or history.
    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a staff member's password, read as one line from standard input (for scripts and the demo).",
            discussion: """
                Example: printf '%s\\n' 'demo-prof-2026' | relais admin password --data DIR --login karim.belkacem
                The same rules as on the sign-in page (at least 10 characters, at most 72 bytes). Ends the person's \
                sessions and pending reset codes, and writes it to the audit log. An admin at the console should \
                rather run `relais admin reset --login LOGIN` and let the person choose their own password with the code \
                on the sign-in page: then no one but them ever knows it.
                """)

        @OptionGroup var options: DataOptions

        @Option(help: "Login of the staff member, e.g. anne.martin.")
        var login: String

        func run() throws {
            let box = try options.openBox()
            guard let person = try box.person(login: login) else {
                throw PeopleError(.notFound,
                    "aucun compte n'a l'identifiant « \(login) » ; `relais people list` donne les identifiants",
                    "no staff account has the login “\(login)”; `relais people list` gives the logins")
            }
            guard let password = readPasswordLine() else {
                throw PeopleError(.invalid,
                    "aucun mot de passe sur l'entrée standard ; donnez-le sur une ligne, par ex. printf '%s\\n' 'MOT-DE-PASSE' | relais admin password …",
                    "no password on standard input; give it as one line, e.g. printf '%s\\n' 'PASSWORD' | relais admin password …")
            }
            if let problem = Passwords.problem(password) {
                throw PeopleError(problem.kind,
                    problem.french + " ; rien n'a changé, donnez-en un autre",
                    problem.english + "; nothing changed, give another one")
            }
            try box.setPassword(personId: person.id, newPassword: password)
            print("Mot de passe de \(person.login) enregistré ; ses sessions ouvertes sont fermées.")
            print("Password of \(person.login) set; their open sessions were ended.")
        }

        /// One line of standard input without its line ending (LF or CRLF), nil at end of input.
        /// On a terminal the typing is not echoed.
        private func readPasswordLine() -> String? {
            guard isatty(STDIN_FILENO) == 1 else { return stripCR(readLine(strippingNewline: true)) }
            FileHandle.standardError.write(Data("Mot de passe / password: ".utf8))
            var saved = termios()
            let hidden = tcgetattr(STDIN_FILENO, &saved) == 0
            if hidden {
                var quiet = saved
                quiet.c_lflag &= ~tcflag_t(ECHO)
                tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
            }
            defer {
                if hidden { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
                FileHandle.standardError.write(Data("\n".utf8))
            }
            return stripCR(readLine(strippingNewline: true))
        }

        private func stripCR(_ line: String?) -> String? {
            guard let line else { return nil }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
    }
}

/// The setup code and what to do with it, French first, with the portal's port of this box.
func printSetupCode(_ code: String, box: Box) {
    let port = Int((try? box.setting("serve.port")) ?? "") ?? 8080
    let address = port == 80 ? "http://BOX/admin" : "http://BOX:\(port)/admin"
    print("Code de mise en service : \(code) — ouvrez \(address) et tapez ce code pour créer le compte admin.")
    print("Setup code: \(code) — open \(address) and type this code to create the admin account.")
}
