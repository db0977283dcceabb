import ArgumentParser
import RelaisCore
import RelaisStore
import RelaisSync

/// `relais import`: a signed repository folder (a USB stick), verified exactly as a network sync,
/// or bundles the school trusts (`--local`).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import bundles into the box (a signed repository folder, or --local FILE).")

    @OptionGroup var options: DataOptions

    @Option(name: .customLong("local"), help: "A bundle made by `relais bundle pack` that the school trusts; marked as local.")
    var localFiles: [String] = []

    @Argument(help: "A signed repository folder (e.g. on a USB stick).")
    var repository: String?

    func validate() throws {
        if localFiles.isEmpty && repository == nil {
            throw ValidationError("give a repository folder or --local FILE")
        }
    }

    func run() async throws {
        if let repository {
            let box = try options.openBox(logLevel: .notice)
            let report = try await RepositorySync(box: box, logger: box.logger).run(from: try SyncSource(repository))
            SyncOutput.print(report)
            if localFiles.isEmpty { return }
        }
        let box = try options.openBox()
        let importer = box.importer()
        let limits = try box.archiveLimits()
        for file in localFiles {
            let report = try importer.importBundle(at: file, origin: .local, limits: limits)
            let m = report.manifest
            switch report.outcome {
            case .installed(let replacing):
                let was = replacing.map { " (remplace \($0))" } ?? ""
                print("importé : \(m.id) \(m.version)\(was) — \(report.fileCount) fichiers, \(ByteCount.format(report.contentBytes)), \(ByteCount.format(report.newBytes)) nouveaux sur le disque")
            case .unchanged:
                print("déjà à jour : \(m.id) \(m.version)")
            }
        }
    }
}
