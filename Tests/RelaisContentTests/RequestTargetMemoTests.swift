import RelaisCore
import Testing

@testable import RelaisContent

@Suite struct RequestTargetMemoTests {
    @Test func classifiesLikeTheParserAndAddsTheMediaType() throws {
        let memo = RequestTargetMemo()
        let entry = memo.resolve("/b/fr.x/1.0.0/css/site.css?v=3")
        #expect(entry.target == .file(bundleID: "fr.x", version: "1.0.0", path: try BundlePath("css/site.css")))
        #expect(entry.contentType == "text/css; charset=utf-8")
        #expect(memo.resolve("/b/fr.x/1.0.0/../x").target == .badRequest)
        #expect(memo.resolve("/nope").target == .notFound)
        #expect(memo.resolve("/nope").contentType == "")
    }

    @Test func remembersEachURLOnce() {
        let memo = RequestTargetMemo()
        _ = memo.resolve("/b/fr.x/1.0.0/a.js")
        _ = memo.resolve("/b/fr.x/1.0.0/a.js")
        #expect(memo.count == 1)
        // Queries do not make new entries (cache-busting would churn the memo).
        for n in 0..<10 { _ = memo.resolve("/b/fr.x/1.0.0/a.js?v=\(n)") }
        #expect(memo.count == 1)
    }

    @Test func startsOverWhenFullAndSkipsVeryLongURLs() {
        let memo = RequestTargetMemo(capacity: 3)
        for n in 0..<3 { _ = memo.resolve("/b/fr.x/1.0.0/\(n).js") }
        #expect(memo.count == 3)
        _ = memo.resolve("/b/fr.x/1.0.0/3.js")
        #expect(memo.count == 1)
        _ = memo.resolve("/b/fr.x/1.0.0/" + String(repeating: "a", count: 600))
        #expect(memo.count == 1)
    }
}
