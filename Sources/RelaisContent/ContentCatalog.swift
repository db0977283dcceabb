import RelaisCore

/// Answers which blob holds /b/{id}/{version}/{path}; called on the event loop, so it must not block (an in-memory snapshot).
///
/// `bundleID` and `version` arrive percent-decoded but otherwise unchecked: an implementation
/// answers nil for anything it does not know, which the origin turns into a 404.
public protocol ContentCatalog: Sendable {
    /// The file served at that URL, or nil when the bundle, the version or the path is unknown.
    func lookup(bundleID: String, version: String, path: BundlePath) -> ContentFile?
}
