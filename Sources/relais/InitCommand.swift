import ArgumentParser
import RelaisCore
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

    func run() throws {
        let uai = try UAI(uai)
        let box = try Box.create(
            at: options.directory, uai: uai, name: name ?? "Établissement \(uai.value)", logger: makeLogger(level: .warning))
        print("Box créée pour \(uai.value) dans \(box.directory.root.path)")
        print("Ensuite / next: relais import --data \(options.data) --local BUNDLE.relais ; relais serve --data \(options.data)")
    }
}
