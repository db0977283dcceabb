import Synchronization

/// What one listening socket of the content server serves.
enum ContentScope: Equatable, Sendable {
    /// The shared port: built-in pages, and `/b/{id}/…` redirected to the bundle's own origin.
    case shared
    /// A bundle's own port: that bundle's files and the built-in pages, nothing else.
    case bundle(String)
}

/// Bundle id → the port its own origin listens on, as bound by the content server; shared with
/// the portal, which builds launch URLs and the catalogue's `contentOrigin` from it.
public final class BundleOriginMap: Sendable {
    private let ports = Mutex<[String: Int]>([:])

    public init() {}

    /// A map given its ports up front (router tests, where no content server listens).
    public init(ports: [String: Int]) {
        self.ports.withLock { $0 = ports }
    }

    /// The port of a bundle's origin, or nil when it is not listening (yet).
    public func port(of bundleID: String) -> Int? {
        ports.withLock { $0[bundleID] }
    }

    /// Every bundle origin listening now.
    public var all: [String: Int] { ports.withLock { $0 } }

    func set(_ bundleID: String, port: Int) {
        ports.withLock { $0[bundleID] = port }
    }
}
