import RelaisCore

/// Where each entry of a package archive goes in the bundle: paths made relative to the package
/// root, the package's own bundle.json consumed, a SHA256SUMS of its own replaced.
struct PackPlacement {
    /// Bundle path of each archive entry kept.
    var paths: [BundlePath: BundlePath] = [:]
    /// Content files, by bundle path.
    var files: [BundlePath: BundlePacker.ContentFile] = [:]
    /// Link targets, by bundle path of the link.
    var links: [BundlePath: BundlePath] = [:]
    /// Archive paths left out (an empty folder beside the package folder, a SHA256SUMS).
    var skipped: [String] = []

    init(scan: BundlePacker.ArchiveScan, detection: PackageDetector.Detection) throws {
        for entry in scan.entries {
            guard let path = detection.bundlePath(entry.path) else {
                // The package folder itself is not content; anything else beside it is reported.
                if entry.path.value != detection.root { skipped.append(entry.path.value) }
                continue
            }
            if detection.kind == .bundle, entry.path == detection.manifest { continue }
            if path.value == DigestList.fileName || path.value == BundleManifest.fileName {
                skipped.append(entry.path.value)
                continue
            }
            switch entry.kind {
            case .file:
                files[path] = scan.files[entry.path]
            case .link(let target):
                // Inside the archive but outside the package folder: it would dangle in the bundle.
                guard let bundleTarget = detection.bundlePath(target) else {
                    throw ArchiveError.linkEscapes(entry: entry.path.value, target: target.value)
                }
                links[path] = bundleTarget
            case .directory:
                break
            }
            paths[entry.path] = path
        }
    }
}
