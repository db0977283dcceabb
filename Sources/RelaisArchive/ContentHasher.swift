import Crypto
import RelaisCore

/// SHA-256 of a stream of blocks, with its byte count: one per file packed, inspected or imported.
public struct ContentHasher {
    private var sha = SHA256()
    /// Bytes hashed so far.
    public private(set) var byteCount: Int64 = 0

    /// Starts an empty hash.
    public init() {}

    /// Adds a block.
    public mutating func update(_ block: UnsafeRawBufferPointer) {
        sha.update(bufferPointer: block)
        byteCount += Int64(block.count)
    }

    /// The hash of everything added.
    public func finalize() -> ContentHash {
        ContentHash(digest: sha.finalize())
    }

    /// Hashes bytes in memory.
    public static func hash(_ bytes: [UInt8]) -> ContentHash {
        var hasher = ContentHasher()
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }
}
