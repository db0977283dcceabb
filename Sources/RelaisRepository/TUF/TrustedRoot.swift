import RelaisCore

/// The root the box trusts, and its update by the next versions (TUF client workflow, "update
/// the root role"): each new root must be signed by a threshold of the trusted root's root keys
/// and by a threshold of its own, carry exactly the next version, and only the final root of the
/// chain must be unexpired.
public struct TrustedRoot: Sendable {
    /// The root in force.
    public private(set) var root: RootMetadata

    /// Starts from a root the box was given out of band (`relais init --trust ROOT.json`); it
    /// must at least be signed by its own threshold of root keys.
    public init(bytes: [UInt8]) throws(TUFError) {
        let metadata = try SignedMetadata(bytes: bytes)
        let root = try RootMetadata(metadata.signed)
        try root.verify(metadata, as: "root")
        self.root = root
    }

    /// Accepts `bytes` as version N+1 of the root, or throws and keeps the trusted one.
    public mutating func update(with bytes: [UInt8]) throws(TUFError) {
        let metadata = try SignedMetadata(bytes: bytes)
        let next = try RootMetadata(metadata.signed)
        try root.verify(metadata, as: "root")
        try next.verify(metadata, as: "root")
        guard next.version == root.version + 1 else {
            throw .unexpectedVersion(role: "root", expected: root.version + 1, got: next.version)
        }
        root = next
    }

    /// Once no newer root is available: the final root must not have expired at `now`.
    public func checkFinal(now: Int64) throws(TUFError) {
        if root.header.isExpired(now: now) { throw .expired(role: "root", expires: root.header.expires) }
    }
}
