import RelaisCore

/// One entry of an archive, already checked by `ArchiveReader`: its path is safe, its link (if any)
/// stays inside the bundle.
public struct ArchiveEntry: Sendable, Equatable {
    /// The normalised path inside the bundle.
    public let path: BundlePath
    /// File, folder or link.
    public let kind: Kind
    /// Declared size in bytes for files (nil when the format does not say, e.g. some zip entries).
    public let size: Int64?
    /// Permission bits (0o777 at most: setuid/setgid entries are refused), e.g. 0o755 for a script.
    public let permissions: Int32

    /// What an entry is.
    public enum Kind: Sendable, Equatable {
        /// A regular file with bytes to read.
        case file
        /// A folder.
        case directory
        /// A symbolic or hard link; the target is resolved to a path inside the bundle.
        case link(to: BundlePath)
    }

    /// Makes an entry (tests and callers building entry lists).
    public init(path: BundlePath, kind: Kind, size: Int64?, permissions: Int32 = 0o644) {
        self.path = path
        self.kind = kind
        self.size = size
        self.permissions = permissions
    }
}
