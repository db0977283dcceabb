import NIOCore
import RelaisCore

/// A least-recently-used cache of small blobs' bytes, bounded by a byte budget.
///
/// Keyed by content hash, so an entry can never be stale: a changed file is a different blob.
/// One cache per event loop, touched only from that loop, so lookups take no lock; the server
/// splits its configured budget between the loops.
final class BlobCache {
    private struct Node {
        var key: ContentHash
        var bytes: ByteBuffer
        var newer: Int?
        var older: Int?
    }

    /// The most bytes the cache holds at once.
    let budget: Int
    /// The bytes it holds now.
    private(set) var usedBytes = 0
    private var nodes: [Node] = []
    private var freeSlots: [Int] = []
    private var slotByKey: [ContentHash: Int] = [:]
    private var newest: Int?
    private var oldest: Int?

    /// An empty cache holding at most `budget` bytes.
    init(budget: Int) {
        self.budget = max(0, budget)
    }

    /// How many blobs are cached.
    var count: Int { slotByKey.count }

    /// The cached bytes for `key`, which become the most recently used.
    func get(_ key: ContentHash) -> ByteBuffer? {
        guard let slot = slotByKey[key] else { return nil }
        moveToFront(slot)
        return nodes[slot].bytes
    }

    /// Caches `bytes` under `key`, evicting the least recently used blobs to stay in budget; a blob
    /// larger than the whole budget is not cached at all.
    func insert(_ key: ContentHash, _ bytes: ByteBuffer) {
        if let slot = slotByKey[key] {
            moveToFront(slot)
            return
        }
        let size = bytes.readableBytes
        guard size <= budget else { return }
        while usedBytes + size > budget, let victim = oldest { remove(victim) }
        let node = Node(key: key, bytes: bytes, newer: nil, older: newest)
        let slot: Int
        if let free = freeSlots.popLast() {
            nodes[free] = node
            slot = free
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        if let previous = newest { nodes[previous].newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
        slotByKey[key] = slot
        usedBytes += size
    }

    private func moveToFront(_ slot: Int) {
        guard newest != slot else { return }
        unlink(slot)
        nodes[slot].older = newest
        nodes[slot].newer = nil
        if let previous = newest { nodes[previous].newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
    }

    private func remove(_ slot: Int) {
        unlink(slot)
        usedBytes -= nodes[slot].bytes.readableBytes
        slotByKey[nodes[slot].key] = nil
        // Drop the bytes now rather than when the slot is reused, so memory really is returned.
        nodes[slot].bytes = ByteBuffer()
        freeSlots.append(slot)
    }

    private func unlink(_ slot: Int) {
        let node = nodes[slot]
        if let newer = node.newer { nodes[newer].older = node.older } else { newest = node.older }
        if let older = node.older { nodes[older].newer = node.newer } else { oldest = node.newer }
    }
}
