import ArgumentParser
import Foundation
import RelaisCore
import RelaisRepository
import RelaisStore

/// `relais init`: a new data folder for one établissement.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the data folder of a box for one établissement (UAI).")

    @OptionGroup var options: DataOptions

    @Option(help: "UAI of the établissement: 7 digits and a check letter, e.g. 0750654D.")
    var uai: String

    @Option(help: "Name of the établissement, shown on the portal.")
    var name: String?

    @Option(help: ArgumentHelp("root.json of the signed repository, given by the hub out of band: the box trusts what it signs.", valueName: "ROOT.json"))
    var trust: String?

    func run() throws {
        let uai = try UAI(uai)
        let root = try trust.map(Self.checkedTrustedRoot)
        let box = try Self.createBox(at: options.directory, uai: uai, name: name, trustedRoot: root)
        print("Box créée pour \(uai.value) dans \(box.directory.root.path)")
        if let code = box.adminSetupCode { printSetupCode(code, box: box) }
        if root != nil {
            print("Ensuite / next: relais config --data \(options.data) set repository.url URL ; relais sync --data \(options.data) --once")
        } else {
            print("Ensuite / next: relais import --data \(options.data) --local BUNDLE.relais ; relais serve --data \(options.data)")
        }
    }

    /// Reads and checks a root.json before anything is created, so a bad root leaves no half-made box.
    static func checkedTrustedRoot(_ path: String) throws -> [UInt8] {
        let bytes = try readTrustedRoot(path)
        _ = try TrustedRoot(bytes: bytes)
        return bytes
    }

    /// The data folder of a new box (shared with `relais setup`): database, secret, setup code, trusted root.
    static func createBox(at directory: DataDirectory, uai: UAI, name: String?, trustedRoot root: [UInt8]?) throws -> Box {
        let box = try Box.create(at: directory, uai: uai, name: name ?? "Établissement \(uai.value)", logger: makeLogger(level: .warning))
        if let root { try TUFUpdater.initialize(metadataDirectory: box.directory.tufPath, trustedRoot: root) }
        return box
    }

    private static func readTrustedRoot(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path); give the root.json the hub published (metadata/root.json of the repository)")
        }
        return Array(data)
    }
}
