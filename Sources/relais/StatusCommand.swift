import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore

/// `relais status`: bundles, versions, sizes, disk used and saved by deduplication.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show what the box holds.")

    @OptionGroup var options: DataOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let status = try options.openBox().status()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            var data = try encoder.encode(status)
            data.append(0x0a)
            FileHandle.standardOutput.write(data)
            return
        }
        print("Relais \(RelaisVersion.current) · \(status.name) (UAI \(status.uai)) · \(status.dataPath)")
        print("")
        if status.bundles.isEmpty {
            print("Aucune ressource installée / no bundle installed.")
        } else {
            print("Ressources / bundles: \(status.bundles.count)")
            for b in status.bundles {
                let older = b.versions.filter { $0 != b.activeVersion }
                let kept = older.isEmpty ? "" : " (gardées / kept: \(older.joined(separator: ", ")))"
                print("  \(b.id) \(b.activeVersion)\(kept) · \(b.kind) · \(b.standard) · \(b.origin) · \(ByteCount.format(b.contentBytes)) · \(b.title)")
            }
        }
        print("")
        print("Stockage / store: \(status.blobCount) fichiers, \(ByteCount.format(status.storedBytes)) sur le disque, \(ByteCount.format(status.savedBytes)) économisés par déduplication (\(ByteCount.format(status.logicalBytes)) sans)")
        print("Disque / disk: \(ByteCount.format(status.diskFreeBytes)) libres sur \(ByteCount.format(status.diskTotalBytes))")
    }
}
