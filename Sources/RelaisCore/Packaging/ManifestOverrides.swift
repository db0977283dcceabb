/// Values given on the `relais bundle pack` command line; each one set replaces the value read from
/// bundle.json or derived from the package's own manifest.
public struct ManifestOverrides: Sendable, Equatable {
    /// Reverse-DNS bundle id.
    public var id: String?
    /// Semantic version.
    public var version: String?
    /// Solution or training.
    public var kind: BundleManifest.Kind?
    /// The French title.
    public var title: String?
    /// The French description.
    public var description: String?
    /// Publisher name.
    public var publisher: String?
    /// Packaging standard (how the bundle is launched).
    public var standard: BundleManifest.Standard?
    /// Path of the file to open.
    public var entry: String?
    /// School levels.
    public var levels: [BundleManifest.Level]?
    /// Subjects taught.
    public var subjects: [String]?

    /// Makes overrides; nil leaves the value as found.
    public init(
        id: String? = nil, version: String? = nil, kind: BundleManifest.Kind? = nil, title: String? = nil,
        description: String? = nil, publisher: String? = nil, standard: BundleManifest.Standard? = nil,
        entry: String? = nil, levels: [BundleManifest.Level]? = nil, subjects: [String]? = nil
    ) {
        self.id = id
        self.version = version
        self.kind = kind
        self.title = title
        self.description = description
        self.publisher = publisher
        self.standard = standard
        self.entry = entry
        self.levels = levels
        self.subjects = subjects
    }

    /// The manifest with every set value replaced (not validated: the caller validates the result).
    public func applied(to manifest: BundleManifest) -> BundleManifest {
        var result = manifest
        if let id { result.id = id }
        if let version { result.version = version }
        if let kind { result.kind = kind }
        if let title { result.title.fr = title }
        if let description { result.description.fr = description }
        if let publisher { result.publisher = publisher }
        if let standard { result.standard = standard }
        if let entry { result.entry = entry }
        if let levels { result.levels = levels }
        if let subjects { result.subjects = subjects }
        return result
    }
}
