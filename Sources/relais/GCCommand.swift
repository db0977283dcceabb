import ArgumentParser
import RelaisCore
import RelaisStore

/// `relais gc`: removes what nothing references and says how many bytes it freed.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove what nothing references: unused content, old versions, interrupted imports, partial downloads, expired quarantine.")

    @OptionGroup var options: DataOptions

    func run() throws {
        let box = try options.openBox()
        let report = try box.collectGarbage()
        for item in report.items {
            print("supprimé / removed: \(item.count) \(item.what) — \(ByteCount.format(item.bytes))")
        }
        for note in report.notes { print("note: \(note)") }
        if report.items.isEmpty {
            print("rien à supprimer / nothing to remove (0 octets libérés / 0 bytes freed)")
        } else {
            print("libéré / freed: \(ByteCount.format(report.bytesFreed)) (\(report.bytesFreed) octets / bytes)")
        }
        if let disk = try? box.diskGuardState() { print(disk.summary) }
    }
}
