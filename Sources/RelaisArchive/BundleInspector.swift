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
        while let entry = try reader.nextEntry() {
            switch entry.kind {
            case .directory:
                continue
            case .link(let target):
                links[entry.path] = target
            case .file:
                var hasher = ContentHasher()
                try reader.readData { hasher.update($0) }
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
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return BundleInspection(
            manifest: header.manifest, files: files, links: links,
            contentBytes: files.reduce(0) { $0 + $1.size }, archiveBytes: size, problems: problems)
    }
}
