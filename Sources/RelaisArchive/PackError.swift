import RelaisCore

/// Why `relais bundle pack` or `relais bundle inspect` refused a source or a bundle. Entry-level
/// refusals (unsafe names, links, sizes) are `ArchiveError`s, the same for a folder as for a zip.
public enum PackError: Error, Equatable, CustomStringConvertible {
    /// bundle.json is missing a field or has an invalid one (the message names the field).
    case manifest(ManifestError)
    /// The package's own manifest (imsmanifest.xml, cmi5.xml) is unusable, or no standard was recognised.
    case packaging(PackagingError)
    /// The source folder has no bundle.json.
    case noBundleJSON(folder: String)
    /// bundle.json's `entry` is not a file of the content.
    case entryMissing(entry: String)
    /// A file changed between the hashing pass and the writing pass.
    case sourceChanged(path: String)
    /// The bundle does not start with bundle.json then SHA256SUMS (inspect, import).
    case notABundle(path: String, reason: String)
    /// A SCORM, cmi5 or HTML5 package that names no publisher, packed without `--publisher`.
    case publisherMissing(file: String)

    public var description: String {
        switch self {
        case .manifest(let error):
            return error.description
        case .packaging(let error):
            return error.description
        case .noBundleJSON(let folder):
            return "« \(folder) » has no bundle.json at its root; add one (see README, « bundle.json ») or pack a SCORM, cmi5 or HTML5 zip"
        case .entryMissing(let entry):
            return "bundle.json: field `entry` names « \(entry) », which is not a file of the content; fix it or give `--entry`"
        case .sourceChanged(let path):
            return "« \(path) » changed while it was being packed; pack again once nothing writes to the source"
        case .publisherMissing(let file):
            return "\(file) names no publisher; give it with `--publisher NAME` (e.g. --publisher \"Éditions Exemple\")"
        case .notABundle(let path, let reason):
            return "« \(path) » is not a Relais bundle (\(reason)); make it with `relais bundle pack`"
        }
    }
}

/// What `BundlePacker.pack` wrote.
public struct PackReport: Sendable, Equatable {
    /// The bundle.json written.
    public var manifest: BundleManifest
    /// Content files (SHA256SUMS lines), links and folders not counted.
    public var fileCount: Int
    /// Bytes of the content files.
    public var contentBytes: Int64
    /// Size of the bundle file.
    public var archiveBytes: Int64
    /// Paths of the source left out: `.DS_Store`, `__MACOSX/…`, and a source's own SHA256SUMS
    /// (regenerated) — never anything else.
    public var skipped: [String]
}
