import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore

#if canImport(Glibc)
import Glibc
#endif

/// `relais setup`: the first start of a school box, for someone with little time. Asks what it
/// needs (UAI, name, trust root) on the terminal, or takes it from flags; creates the data
/// folder as `relais init` does; prints the setup code and the address the pupils type.
struct SetupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Mise en service de la box / first-time setup of the box (asks UAI, name, trust root).",
        discussion: """
            Without --uai, each value not given as a flag is asked on standard input (a terminal, \
            or lines on a pipe: UAI, name, root.json path, then the repository address when a root \
            was given; an empty line keeps the default). With --uai, nothing is asked. Refuses a data folder that already holds a box. Run as \
            root, it gives the new folder to the `relais` system user when there is one.
            """)

    @Option(help: "Data folder of the box.")
    var data = "/var/lib/relais"

    @Option(help: "UAI of the établissement: 7 digits and a check letter, e.g. 0750654D.")
    var uai: String?

    @Option(help: "Name of the établissement, shown on the portal.")
    var name: String?

    @Option(help: ArgumentHelp("root.json of the signed repository, given by the hub out of band (\"\" for none).", valueName: "ROOT.json"))
    var trust: String?

    @Option(help: ArgumentHelp("Signed repository to pull from: http(s) address or folder (\"\" for none).", valueName: "URL"))
    var repositoryUrl: String?

    @Option(help: "Port of the portal (setting serve.port).")
    var port: Int = 80

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535, got \(port)") }
    }

    func run() throws {
        let directory = DataDirectory(data)
        // Refused before any question: nothing to answer for a box that exists.
        if directory.isInitialized {
            throw SetupError(
                "\(data) contient déjà une box ; la mise en service ne se fait qu'une fois (réglages : relais config) / "
                    + "\(data) already holds a box; setup runs once: change settings with `relais config --data \(data)`, "
                    + "or move the folder aside to start over")
        }
        // Without --uai, the values not given as flags are asked; with it, they take their defaults.
        let interactive = uai == nil
        let asker = Asker()
        let uai = try uai.map { try UAI($0) } ?? asker.require(
            "UAI de l'établissement (7 chiffres et une lettre) / school UAI (7 digits and a letter)", flag: "--uai"
        ) { try UAI($0) }
        var name = self.name
        if name == nil && interactive {
            name = try asker.ask("Nom de l'établissement [Établissement \(uai.value)] / school name", flag: "--name", optional: true) { $0 }
        }
        var rootPath = trust
        if rootPath == nil && interactive {
            rootPath = try asker.ask(
                "Chemin du root.json donné par le hub [aucun] / path of the hub's root.json [none]", flag: "--trust", optional: true
            ) { path in
                _ = try InitCommand.checkedTrustedRoot(path)
                return path
            }
        }
        let root = try rootPath.flatMap { $0.isEmpty ? nil : $0 }.map(InitCommand.checkedTrustedRoot)
        var repository = repositoryUrl ?? ""
        if repositoryUrl == nil && interactive && root != nil {
            repository = try asker.ask(
                "Adresse du dépôt signé (http://… ou dossier) [aucune] / signed repository address [none]", flag: "--repository-url",
                optional: true
            ) { try Self.checkedRepository($0) } ?? ""
        }
        _ = try Self.checkedRepository(repository)

        let box = try InitCommand.createBox(
            at: directory, uai: uai, name: name.flatMap { $0.isEmpty ? nil : $0 }, trustedRoot: root)
        try box.setSetting("serve.port", to: String(port))
        if !repository.isEmpty { try box.setSetting("repository.url", to: repository) }
        try Self.giveToServiceUser(directory.root.path)

        let identity = try box.identity()
        print("Box mise en service pour \(identity.name) (\(identity.uai)) dans \(directory.root.path)")
        print("Box set up for \(identity.name) (\(identity.uai)) in \(directory.root.path)")
        let addresses = Self.pupilAddresses(port: port)
        print("Adresse des élèves / pupils' address: \(addresses.joined(separator: "  "))")
        if let code = box.adminSetupCode {
            print("Code de mise en service : \(code) — ouvrez \(addresses[0])admin et tapez ce code pour créer le compte admin.")
            print("Setup code: \(code) — open \(addresses[0])admin and type this code to create the admin account.")
        }
        if root == nil {
            print("Sans dépôt signé : importez les ressources avec relais import --data \(data) --local BUNDLE.relais")
        }
    }

    /// The repository address, as `relais config set repository.url` would accept it.
    static func checkedRepository(_ value: String) throws -> String {
        if let problem = Setting.named("repository.url")?.problem(with: value) { throw SetupError("repository.url: \(problem)") }
        return value
    }

    /// Run as root with a `relais` system user (the package's), the data folder becomes that
    /// user's, so the service can write it.
    static func giveToServiceUser(_ path: String) throws {
        guard geteuid() == 0, let user = getpwnam("relais") else { return }
        let uid = user.pointee.pw_uid, gid = user.pointee.pw_gid
        var paths = [path]
        if let walker = FileManager.default.enumerator(atPath: path) {
            for case let child as String in walker { paths.append(path + "/" + child) }
        }
        for item in paths where lchown(item, uid, gid) != 0 {
            throw SetupError("cannot give \(item) to the relais user (errno \(errno)); run `chown -R relais:relais \(path)`")
        }
    }

    /// What pupils type: the mDNS name (avahi publishes the host name in .local), then each IPv4
    /// address of the box's network interfaces.
    static func pupilAddresses(port: Int) -> [String] {
        let suffix = port == 80 ? "" : ":\(port)"
        var hostname = [CChar](repeating: 0, count: 256)
        let host = gethostname(&hostname, hostname.count) == 0 ? String(cString: hostname).split(separator: ".").first.map(String.init) ?? "relais" : "relais"
        var result = ["http://\(host).local\(suffix)/"]
        var list: UnsafeMutablePointer<ifaddrs>?
        if getifaddrs(&list) == 0 {
            var cursor = list
            while let entry = cursor?.pointee {
                defer { cursor = entry.ifa_next }
                guard let address = entry.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                    entry.ifa_flags & 0x8 == 0  // IFF_LOOPBACK
                else { continue }
                var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { inet in
                    var raw = inet.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                }
                result.append("http://\(String(cString: text))\(suffix)/")
            }
            freeifaddrs(list)
        }
        return result
    }
}

/// A refusal of `relais setup`, one line.
struct SetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Asks on standard input: a prompt on stderr, one line read; a bad answer is said and asked
/// again on a terminal, refused at once on a pipe (nothing created yet either way).
struct Asker {
    let terminal = isatty(STDIN_FILENO) == 1

    /// `optional`: an empty line gives nil. End of input: a usage error naming the flag.
    func ask<T>(_ prompt: String, flag: String, optional: Bool = false, _ parse: (String) throws -> T) throws -> T? {
        while true {
            FileHandle.standardError.write(Data("\(prompt) : ".utf8))
            guard var line = readLine(strippingNewline: true) else {
                FileHandle.standardError.write(Data("\n".utf8))
                throw ValidationError("no answer on standard input; give \(flag) (relais setup --help lists the flags)")
            }
            if line.hasSuffix("\r") { line.removeLast() }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty && optional { return nil }
            do {
                return try parse(line)
            } catch {
                guard terminal else { throw error }
                FileHandle.standardError.write(Data("  \(error)\n".utf8))
            }
        }
    }

    func require<T>(_ prompt: String, flag: String, _ parse: (String) throws -> T) throws -> T {
        try ask(prompt, flag: flag, optional: false, parse)!
    }
}
