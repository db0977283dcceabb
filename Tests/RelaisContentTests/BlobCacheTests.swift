import Foundation
import NIOCore
import RelaisCore
import Testing

@testable import RelaisContent

@Suite struct BlobCacheTests {
    private func key(_ n: Int) -> ContentHash {
        ContentHash(hex: String(repeating: "0", count: 62) + String(format: "%02x", n))!
    }

    private func bytes(_ count: Int) -> ByteBuffer { ByteBuffer(repeating: 7, count: count) }

    @Test func returnsWhatWasInserted() {
        let cache = BlobCache(budget: 100)
        cache.insert(key(1), ByteBuffer(string: "hello"))
        #expect(cache.get(key(1)).map { String(buffer: $0) } == "hello")
        #expect(cache.get(key(2)) == nil)
        #expect(cache.usedBytes == 5)
    }

    @Test func evictsTheLeastRecentlyUsedToStayInBudget() {
        let cache = BlobCache(budget: 30)
        cache.insert(key(1), bytes(10))
        cache.insert(key(2), bytes(10))
        cache.insert(key(3), bytes(10))
        _ = cache.get(key(1))  // 2 is now the oldest
        cache.insert(key(4), bytes(10))
        #expect(cache.get(key(2)) == nil)
        #expect(cache.get(key(1)) != nil)
        #expect(cache.get(key(3)) != nil)
        #expect(cache.get(key(4)) != nil)
        #expect(cache.usedBytes == 30)
        #expect(cache.count == 3)
    }

    @Test func evictsAsManyAsNeededForABigEntry() {
        let cache = BlobCache(budget: 30)
        for n in 1...3 { cache.insert(key(n), bytes(10)) }
        cache.insert(key(9), bytes(25))
        #expect(cache.count == 1)
        #expect(cache.usedBytes == 25)
    }

    @Test func neverCachesAnEntryLargerThanTheBudget() {
        let cache = BlobCache(budget: 10)
        cache.insert(key(1), bytes(5))
        cache.insert(key(2), bytes(11))
        #expect(cache.get(key(2)) == nil)
        #expect(cache.get(key(1)) != nil)
    }

    @Test func reinsertingAKeyDoesNotCountItTwice() {
        let cache = BlobCache(budget: 100)
        cache.insert(key(1), bytes(10))
        cache.insert(key(1), bytes(10))
        #expect(cache.usedBytes == 10)
        #expect(cache.count == 1)
    }

    @Test func staysConsistentThroughLongChurn() {
        let cache = BlobCache(budget: 1000)
        var generator = SystemRandomNumberGenerator()
        for step in 0..<5000 {
            let n = Int.random(in: 0..<200, using: &generator)
            if step % 3 == 0 { _ = cache.get(key(n)) } else { cache.insert(key(n), bytes(Int.random(in: 1...120, using: &generator))) }
            #expect(cache.usedBytes <= 1000)
        }
        var total = 0
        for n in 0..<200 { total += cache.get(key(n))?.readableBytes ?? 0 }
        #expect(total == cache.usedBytes)
    }

    @Test func zeroBudgetCachesNothing() {
        let cache = BlobCache(budget: 0)
        cache.insert(key(1), bytes(1))
        #expect(cache.count == 0)
    }
}
