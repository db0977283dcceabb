import RelaisCore

/// Answers which blob holds /b/{id}/{version}/{path}; called on the event loop, so it must not block (an in-memory snapshot).
///
/// `bundleID` and `version` arrive percent-decoded but otherwise unchecked: an implementation
/// answers nil for anything it does not know, which the origin turns into a 404.
public protocol ContentCatalog: Sendable {
    /// The file served at that URL, or nil when the bundle, the version or the path is unknown.
    func lookup(bundleID: String, version: String, path: BundlePath) -> ContentFile?
}

/// One file of one bundle version, as the content origin needs it.
///
/// The store builds these from its database when a version is activated; the content origin never
/// touches the database, so a lookup stays an in-memory read on the event loop.
public struct ContentFile: Sendable, Equatable {
    /// The SHA-256 of the file's bytes: the blob's name, the strong ETag and the cache key.
    public let hash: ContentHash
    /// The file's length in bytes, as recorded at import (the blob is checked against it when opened).
    public let size: Int64
    /// Absolute path of the blob holding the bytes.
    public let blobPath: String
    /// When the version holding this file was activated, in unix seconds (the Last-Modified date).
    public let lastModified: Int64

    /// Describes one servable file.
    public init(hash: ContentHash, size: Int64, blobPath: String, lastModified: Int64) {
        self.hash = hash
        self.size = size
        self.blobPath = blobPath
        self.lastModified = lastModified
    }
}
