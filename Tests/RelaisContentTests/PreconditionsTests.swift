import Testing

@testable import RelaisContent

@Suite struct PreconditionsTests {
    let etag = String(repeating: "ab", count: 32)
    let modified: Int64 = 784_111_777
    let modifiedText = "Sun, 06 Nov 1994 08:49:37 GMT"

    private func outcome(_ headers: Preconditions.Headers) -> PreconditionOutcome {
        Preconditions.evaluate(headers, etag: etag, lastModified: modified)
    }

    @Test func noConditionProceeds() {
        #expect(outcome(.init()) == .proceed)
    }

    @Test func ifNoneMatchUsesWeakComparisonListsAndStar() {
        #expect(outcome(.init(ifNoneMatch: "\"\(etag)\"")) == .notModified)
        #expect(outcome(.init(ifNoneMatch: "W/\"\(etag)\"")) == .notModified)
        #expect(outcome(.init(ifNoneMatch: "\"other\", W/\"\(etag)\"")) == .notModified)
        #expect(outcome(.init(ifNoneMatch: " * ")) == .notModified)
        #expect(outcome(.init(ifNoneMatch: "\"other\"")) == .proceed)
        #expect(outcome(.init(ifNoneMatch: etag)) == .proceed)  // unquoted: not an entity tag
    }

    @Test func ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        #expect(outcome(.init(ifNoneMatch: "\"other\"", ifModifiedSince: modifiedText)) == .proceed)
    }

    @Test func ifModifiedSinceAtOrAfterLastModifiedIsNotModified() {
        #expect(outcome(.init(ifModifiedSince: modifiedText)) == .notModified)
        #expect(outcome(.init(ifModifiedSince: "Mon, 07 Nov 1994 08:49:37 GMT")) == .notModified)
        #expect(outcome(.init(ifModifiedSince: "Sat, 05 Nov 1994 08:49:37 GMT")) == .proceed)
        #expect(outcome(.init(ifModifiedSince: "not a date")) == .proceed)
    }

    @Test func ifMatchNeedsAStrongMatch() {
        #expect(outcome(.init(ifMatch: "\"\(etag)\"")) == .proceed)
        #expect(outcome(.init(ifMatch: "*")) == .proceed)
        #expect(outcome(.init(ifMatch: "W/\"\(etag)\"")) == .failed)
        #expect(outcome(.init(ifMatch: "\"other\"")) == .failed)
    }

    @Test func ifUnmodifiedSinceFailsWhenModifiedLater() {
        #expect(outcome(.init(ifUnmodifiedSince: "Sat, 05 Nov 1994 08:49:37 GMT")) == .failed)
        #expect(outcome(.init(ifUnmodifiedSince: modifiedText)) == .proceed)
        #expect(outcome(.init(ifMatch: "\"\(etag)\"", ifUnmodifiedSince: "Sat, 05 Nov 1994 08:49:37 GMT")) == .proceed)
    }

    @Test func ifRangeAppliesOnlyOnStrongTagOrExactDate() {
        #expect(Preconditions.ifRangeAllowsRange("\"\(etag)\"", etag: etag, lastModified: modified))
        #expect(!Preconditions.ifRangeAllowsRange("W/\"\(etag)\"", etag: etag, lastModified: modified))
        #expect(!Preconditions.ifRangeAllowsRange("\"other\"", etag: etag, lastModified: modified))
        #expect(Preconditions.ifRangeAllowsRange(modifiedText, etag: etag, lastModified: modified))
        #expect(!Preconditions.ifRangeAllowsRange("Mon, 07 Nov 1994 08:49:37 GMT", etag: etag, lastModified: modified))
        #expect(!Preconditions.ifRangeAllowsRange("garbage", etag: etag, lastModified: modified))
    }

    @Test func entityTagParsingRejectsMalformedTags() {
        #expect(EntityTag("\"abc\"")?.opaque == "abc")
        #expect(EntityTag("W/\"abc\"")?.isWeak == true)
        #expect(EntityTag("\"\"")?.opaque == "")
        #expect(EntityTag("abc") == nil)
        #expect(EntityTag("\"a\"b\"") == nil)
        #expect(EntityTag("\"a b\"") == nil)
        #expect(EntityTag("w/\"abc\"") == nil)
    }
}
