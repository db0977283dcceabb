import ArgumentParser
import Foundation
import RelaisArchive
import RelaisCore

/// `relais bundle pack|inspect`: publishers' packages to bundles, and what a bundle holds.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle", abstract: "Make and inspect bundles.", subcommands: [Pack.self, Inspect.self])

    /// `relais bundle pack SRC -o OUT`.
    struct Pack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a bundle from a folder with bundle.json, or from a SCORM 1.2/2004, cmi5 or HTML5 zip.")

        @Argument(help: "A folder holding bundle.json, or a SCORM/cmi5/HTML5 zip.")
        var source: String
        @Option(name: .shortAndLong, help: "The bundle file to write (e.g. calcul-mental.relais).")
        var output: String
        @Option(help: "Bundle id (reverse-DNS), overriding the package's.") var id: String?
        @Option(help: "Bundle version (semver).") var version: String?
        @Option(help: "solution or training.") var kind: BundleManifest.Kind?
        @Option(help: "French title.") var title: String?
        @Option(help: "French description.") var description: String?
        @Option(help: "Publisher's name.") var publisher: String?
        @Option(help: "html5, scorm12, scorm2004, cmi5, video or pdf.") var standard: BundleManifest.Standard?
        @Option(help: "Path of the file to open, in the package.") var entry: String?
        @Option(name: .customLong("level"), help: "A school level (cycle1…cycle4, lycee); repeat for several.")
        var levels: [BundleManifest.Level] = []
        @Option(name: .customLong("subject"), help: "A subject; repeat for several.") var subjects: [String] = []

        func run() throws {
            var overrides = ManifestOverrides()
            overrides.id = id
            overrides.version = version
            overrides.kind = kind
            overrides.title = title
            overrides.description = description
            overrides.publisher = publisher
            overrides.standard = standard
            overrides.entry = entry
            overrides.levels = levels.isEmpty ? nil : levels
            overrides.subjects = subjects.isEmpty ? nil : subjects
            let report = try BundlePacker.pack(source: source, output: output, overrides: overrides, limits: .standard)
            let m = report.manifest
            print("\(output): \(m.id) \(m.version) · \(m.kind.rawValue) · \(m.standard.rawValue) · entrée \(m.entry) · \(report.fileCount) fichiers, \(ByteCount.format(report.contentBytes)) → \(ByteCount.format(report.archiveBytes))")
        }
    }

    /// `relais bundle inspect FILE`.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a bundle's manifest and sizes, and check its hashes.")

        @Argument(help: "A bundle file.") var file: String
        @Flag(help: "List every file with its size and SHA-256.") var files = false
        @Flag(help: "Print {\"manifest\", \"files\", \"bytes\", \"structure\"} as JSON (structure: the SCOs/AUs with id, title, launch).")
        var json = false

        func run() throws {
            let inspection = try BundleInspector.inspect(path: file)
            if json {
                let manifest = (try? JSONValue(parsing: Array(inspection.manifest.encoded()), numbers: .integersAndFractions)) ?? .object([:])
                let structure: [JSONValue] = inspection.structure.map {
                    ["id": .string($0.id), "title": .string($0.title), "launch": .string($0.launch)]
                }
                let document: JSONValue = [
                    "manifest": manifest, "files": .integer(Int64(inspection.files.count)),
                    "bytes": .integer(inspection.contentBytes), "structure": .array(structure),
                ]
                FileHandle.standardOutput.write(Data(document.serialized()))
                print("")
                for problem in inspection.problems { FileHandle.standardError.write(Data((problem + "\n").utf8)) }
                if !inspection.verified { throw ExitCode.failure }
                return
            }
            FileHandle.standardOutput.write(inspection.manifest.encoded())
            print("")
            print("fichiers / files: \(inspection.files.count) · contenu / content: \(ByteCount.format(inspection.contentBytes)) · archive: \(ByteCount.format(inspection.archiveBytes))")
            print(inspection.verified ? "SHA-256: tous vérifiés / all verified" : "SHA-256: NON CONFORME / MISMATCH")
            if inspection.structure.count > 1 {
                print("structure: \(inspection.structure.count) éléments / entries")
                for entry in inspection.structure {
                    print(String(repeating: "  ", count: entry.depth + 1) + "\(entry.id) · \(entry.title) · \(entry.launch)")
                }
            }
            if let problem = inspection.structureProblem { print("structure: \(problem)") }
            if files {
                for f in inspection.files { print("\(f.hash.hex)  \(f.size)  \(f.path.value)") }
            }
            if !inspection.verified { throw ExitCode.failure }
        }
    }
}

extension BundleManifest.Kind: ExpressibleByArgument {}
extension BundleManifest.Standard: ExpressibleByArgument {}
extension BundleManifest.Level: ExpressibleByArgument {}
