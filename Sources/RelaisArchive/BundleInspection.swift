import RelaisCore

/// What a bundle holds, and whether its files match its SHA256SUMS (`relais bundle inspect`).
public struct BundleInspection: Sendable, Equatable {
    /// One content file as found in the bundle.
    public struct File: Sendable, Equatable {
        /// Where the file is in the bundle.
        public var path: BundlePath
        /// Bytes read.
        public var size: Int64
        /// SHA-256 of the bytes read.
        public var hash: ContentHash
    }

    /// bundle.json, parsed and validated.
    public var manifest: BundleManifest
    /// Content files in archive order (bundle.json and SHA256SUMS excluded).
    public var files: [File]
    /// Symbolic links, each with the path it resolves to.
    public var links: [BundlePath: BundlePath]
    /// Bytes of the content files.
    public var contentBytes: Int64
    /// Size of the bundle file.
    public var archiveBytes: Int64
    /// Every disagreement between the content and SHA256SUMS or bundle.json, one line each.
    public var problems: [String]
    /// The launchable entries (SCOs, AUs, or the bundle itself), in the package's order.
    public var structure: [BundleStructureEntry] = []
    /// Why the package's imsmanifest.xml or cmi5.xml could not give the structure (the bundle
    /// still serves; only its first entry can be launched).
    public var structureProblem: String? = nil

    /// All hashes match SHA256SUMS, every file is listed, every listed file is present, the entry exists.
    public var verified: Bool { problems.isEmpty }
}
