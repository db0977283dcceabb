import Foundation
import RelaisCore

/// Reads a bundle through `ArchiveReader` (same checks as an import) and hashes every file.
public enum BundleInspector {
    /// Inspects the bundle at `path`; throws when it cannot be read as a bundle at all.
    public static func inspect(path: String, limits: ArchiveLimits = .standard) throws -> BundleInspection {
        let reader = try ArchiveReader(path: path, limits: limits)
        let header = try BundleHeader.read(from: reader, path: path)
        var files: [BundleInspection.File] = []
        var links: [BundlePath: BundlePath] = [:]
        var problems: [String] = []
        // The package's own manifest, for the structure (a few kilobytes; capped like pack's).
        var packageFiles: [String: [UInt8]] = [:]
        let packageNames: Set<String> = [ScormManifest.fileName, Cmi5CourseStructure.fileName]
        while let entry = try reader.nextEntry() {
            switch entry.kind {
            case .directory:
                continue
            case .link(let target):
                links[entry.path] = target
            case .file:
                var hasher = ContentHasher()
                let keep = packageNames.contains(entry.path.value)
                var kept: [UInt8] = []
                try reader.readData { block in
                    hasher.update(block)
                    if keep, kept.count < BundlePacker.manifestLimit { kept.append(contentsOf: block.prefix(BundlePacker.manifestLimit - kept.count)) }
                }
                if keep { packageFiles[entry.path.value] = kept }
                let file = BundleInspection.File(path: entry.path, size: hasher.byteCount, hash: hasher.finalize())
                files.append(file)
                switch header.digests.entries[entry.path] {
                case nil:
                    problems.append("« \(entry.path) » is not listed in SHA256SUMS")
                case let expected? where expected != file.hash:
                    problems.append("« \(entry.path) » has SHA-256 \(file.hash), SHA256SUMS says \(expected)")
                default:
                    break
                }
            }
        }
        let present = Set(files.map(\.path))
        for listed in header.digests.entries.keys.sorted() where !present.contains(listed) {
            problems.append("SHA256SUMS lists « \(listed) », which the bundle does not hold")
        }
        let entry = try? BundlePath(header.manifest.entry)
        if entry.map({ present.contains($0) || links[$0].map(present.contains) == true }) != true {
            problems.append("bundle.json: `entry` « \(header.manifest.entry) » is not a file of the bundle")
        }
        var structure: [BundleStructureEntry] = []
        var structureProblem: String?
        do {
            structure = try BundleStructure.of(header.manifest) { packageFiles[$0] }.entries
        } catch {
            structureProblem = "\(error)"
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return BundleInspection(
            manifest: header.manifest, files: files, links: links,
            contentBytes: files.reduce(0) { $0 + $1.size }, archiveBytes: size, problems: problems,
            structure: structure, structureProblem: structureProblem)
    }
}
