import RelaisCore
import Testing

@testable import RelaisContent

@Suite struct ContentResponsePlanTests {
    let file = ContentFile(hash: ContentHash(hex: String(repeating: "0f", count: 32))!, size: 1000, blobPath: "/x", lastModified: 784_111_777)
    var etag: String { "\"\(file.hash.hex)\"" }

    private func plan(head: Bool = false, _ headers: [(String, String)] = [], size: Int64? = nil) -> ContentResponsePlan {
        let target = size.map { ContentFile(hash: file.hash, size: $0, blobPath: "/x", lastModified: file.lastModified) } ?? file
        return ContentResponsePlan.make(isHead: head, conditions: ContentRequest.Conditions(fields: headers), file: target)
    }

    @Test func plainGetIsAFullAnswerWithBody() {
        #expect(plan() == .init(kind: .full, sendsBody: true))
        #expect(plan().status == .ok)
    }

    @Test func headIsTheSameAnswerWithoutBodyAndIgnoresRange() {
        #expect(plan(head: true) == .init(kind: .full, sendsBody: false))
        #expect(plan(head: true, [("Range", "bytes=0-1")]) == .init(kind: .full, sendsBody: false))
    }

    @Test func matchingValidatorsGiveNotModifiedEvenWithRange() {
        #expect(plan([("If-None-Match", etag), ("Range", "bytes=0-1")]).kind == .notModified)
        #expect(plan([("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT")]).kind == .notModified)
        #expect(plan(head: true, [("If-None-Match", etag)]) == .init(kind: .notModified, sendsBody: false))
    }

    @Test func ifNoneMatchListsSplitOverSeveralLinesAreJoined() {
        #expect(plan([("If-None-Match", "\"a\""), ("If-None-Match", etag)]).kind == .notModified)
    }

    @Test func repeatedSingletonFieldsAreIgnoredNotGuessed() {
        #expect(plan([("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"), ("if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT")]).kind == .full)
        #expect(plan([("Range", "bytes=0-1"), ("Range", "bytes=0-1"), ("Range", "bytes=0-1")]).kind == .full)
    }

    @Test func falsePreconditionIs412() {
        #expect(plan([("If-Match", "\"nope\"")]).kind == .preconditionFailed)
        #expect(plan([("If-Match", "\"nope\"")]).status == .preconditionFailed)
    }

    @Test func singleRangeIsPartial() {
        #expect(plan([("Range", "bytes=-100")]) == .init(kind: .partial(ByteRange(first: 900, last: 999)), sendsBody: true))
        #expect(plan([("Range", "bytes=-100")]).status == .partialContent)
    }

    @Test func severalRangesAreMultipart() {
        #expect(plan([("Range", "bytes=0-0,-1")]).kind == .multipart([ByteRange(first: 0, last: 0), ByteRange(first: 999, last: 999)]))
    }

    @Test func unsatisfiableRangeIs416AndMalformedIsIgnored() {
        #expect(plan([("Range", "bytes=1000-")]) == .init(kind: .rangeNotSatisfiable, sendsBody: false))
        #expect(plan([("Range", "bytes=1000-")]).status == .rangeNotSatisfiable)
        #expect(plan([("Range", "bytes=x")]).kind == .full)
        #expect(plan([("Range", "bytes=0-1"), ("Range", "bytes=2-3")]).kind == .full)
    }

    @Test func ifRangeMismatchSendsEverything() {
        #expect(plan([("Range", "bytes=0-1"), ("If-Range", "\"stale\"")]).kind == .full)
        #expect(plan([("Range", "bytes=0-1"), ("If-Range", "W/\(etag)")]).kind == .full)
        #expect(plan([("Range", "bytes=0-1"), ("If-Range", etag)]).kind == .partial(ByteRange(first: 0, last: 1)))
        #expect(plan([("Range", "bytes=0-1"), ("If-Range", "Sun, 06 Nov 1994 08:49:37 GMT")]).kind == .partial(ByteRange(first: 0, last: 1)))
    }

    @Test func emptyFileIsFullButAnyRangeIsUnsatisfiable() {
        #expect(plan(size: 0).kind == .full)
        #expect(plan([("Range", "bytes=0-")], size: 0).kind == .rangeNotSatisfiable)
        #expect(plan([("Range", "bytes=-5")], size: 0).kind == .rangeNotSatisfiable)
    }
}
