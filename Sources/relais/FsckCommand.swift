import ArgumentParser
import RelaisCore
import RelaisStore

/// `relais fsck`: re-hashes the content store; exit 1 when something was damaged.
struct FsckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsck",
        abstract: "Re-hash every stored file, quarantine the corrupt ones and stop serving the versions that used them.")

    @OptionGroup var options: DataOptions

    func run() throws {
        let box = try options.openBox()
        let report = try box.fsck()
        let data = box.directory.root.path
        for damage in report.damages {
            let moved = damage.quarantinedAt.map { " → \($0)" } ?? ""
            print("ENDOMMAGÉ / damaged: blob \(damage.hash.hex) (\(damage.kind.rawValue): \(damage.detail))\(moved)")
        }
        for action in report.bundles {
            let versions = action.removedVersions.joined(separator: ", ")
            var line = "bundle \(action.bundleID): version(s) \(versions) retirée(s) / removed (not served half-broken)"
            if let fallback = action.fallback {
                line += "; la version \(fallback) sert à nouveau / version \(fallback) serves again"
            } else if action.activeLost {
                line += "; plus rien ne sert / nothing serves it now"
            }
            print(line + "; " + Self.remedy(origin: action.origin, data: data))
        }
        for (id, origin) in report.waiting {
            print("bundle \(id): aucune version servie / no version serves; " + Self.remedy(origin: origin, data: data))
        }
        let checked = "\(report.blobsChecked) fichiers vérifiés / files checked (\(ByteCount.format(report.bytesChecked)), SHA-256)"
        let extra = report.unreferencedFiles > 0 ? "; \(report.unreferencedFiles) fichiers non référencés / unreferenced files: `relais gc --data \(data)` frees them" : ""
        if report.clean {
            print("fsck: \(checked), aucun problème / no problem\(extra)")
        } else {
            print("fsck: \(checked), \(report.damages.count) endommagé(s) / damaged, \(report.bundles.count + report.waiting.count) bundle(s) à reprendre / to fetch again\(extra)")
            throw ExitCode.failure
        }
    }

    static func remedy(origin: String, data: String) -> String {
        origin == "local"
            ? "re-import it with `relais import --data \(data) --local FILE`"
            : "the next `relais sync --data \(data) --once` fetches it again"
    }
}
