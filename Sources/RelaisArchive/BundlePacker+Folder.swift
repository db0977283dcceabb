import Foundation
import RelaisCore

extension BundlePacker {
    /// Packs a folder holding bundle.json: content sorted by path, folders before what they hold.
    static func packFolder(
        _ folder: String, output: String, overrides: ManifestOverrides, limits: ArchiveLimits
    ) throws -> PackReport {
        let scanner = try FolderScanner(root: folder, limits: limits)
        guard let manifestItem = scanner.items.first(where: { $0.path.value == BundleManifest.fileName }),
            case .file(let manifestSize, _) = manifestItem.kind
        else { throw PackError.noBundleJSON(folder: folder) }
        guard manifestSize <= BundleHeader.maxManifestBytes else {
            throw ArchiveError.entryTooLarge(entry: BundleManifest.fileName, maxBytes: BundleHeader.maxManifestBytes)
        }
        guard let data = FileManager.default.contents(atPath: manifestItem.location) else {
            throw PackError.noBundleJSON(folder: folder)
        }
        let declared: BundleManifest
        do { declared = try BundleManifest.parse(data) } catch { throw PackError.manifest(error) }

        var skipped = scanner.skipped
        var content: [FolderScanner.Item] = []
        for item in scanner.items {
            switch item.path.value {
            case BundleManifest.fileName: continue
            case DigestList.fileName: skipped.append(item.path.value)  // regenerated below
            default: content.append(item)
            }
        }

        // First pass: hash every file, for SHA256SUMS, which precedes the content.
        var files: [BundlePath: ContentFile] = [:]
        var links: [BundlePath: BundlePath] = [:]
        for item in content {
            switch item.kind {
            case .file:
                var hasher = ContentHasher()
                try DiskFile.stream(item.location) { hasher.update($0) }
                files[item.path] = ContentFile(size: hasher.byteCount, hash: hasher.finalize())
            case .link(let target):
                links[item.path] = item.path.resolvingLink(target)
            case .directory:
                continue
            }
        }
        let manifest = try finalManifest(declared, overrides: overrides, files: files, links: links)

        let writer = try ArchiveWriter(path: output, format: .tarGzip)
        do {
            try writeHeader(writer, manifest: manifest, files: files)
            for item in content {
                switch item.kind {
                case .directory:
                    try writer.addDirectory(item.path.value)
                case .link(let target):
                    try writer.addSymlink(item.path.value, target: target)
                case .file(_, let executable):
                    guard let expected = files[item.path] else { continue }
                    try copy(item.path, expected: expected, executable: executable, into: writer) { write in
                        try DiskFile.stream(item.location, write)
                    }
                }
            }
            try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        return report(manifest, files: files, output: output, skipped: skipped)
    }
}
