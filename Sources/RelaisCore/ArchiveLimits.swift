/// What one archive may cost before it is refused: a bomb stops early, a real bundle never hits these.
public struct ArchiveLimits: Sendable, Equatable {
    /// Total uncompressed bytes of all entries (default 4 GiB).
    public var maxTotalBytes: Int64
    /// Number of entries, folders included (default 200,000).
    public var maxEntries: Int
    /// Uncompressed bytes per compressed byte read, checked once past `ratioGrace` bytes (default 200).
    public var maxRatio: Int64
    /// Uncompressed bytes below which the ratio is not checked: tiny files compress oddly (1 MiB).
    public var ratioGrace: Int64

    public init(maxTotalBytes: Int64 = 4 << 30, maxEntries: Int = 200_000, maxRatio: Int64 = 200, ratioGrace: Int64 = 1 << 20) {
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
        self.maxRatio = maxRatio
        self.ratioGrace = ratioGrace
    }

    /// The defaults.
    public static let standard = ArchiveLimits()
}
