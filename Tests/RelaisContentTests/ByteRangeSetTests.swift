import Testing

@testable import RelaisContent

@Suite struct ByteRangeSetTests {
    private func r(_ first: Int64, _ last: Int64) -> ByteRange { ByteRange(first: first, last: last) }

    @Test func parsesClosedOpenAndSuffixSpecs() {
        #expect(ByteRangeSet.parse("bytes=0-499") == [.closed(first: 0, last: 499)])
        #expect(ByteRangeSet.parse("bytes=500-") == [.from(first: 500)])
        #expect(ByteRangeSet.parse("bytes=-500") == [.suffix(length: 500)])
        #expect(ByteRangeSet.parse("bytes=0-0,-1") == [.closed(first: 0, last: 0), .suffix(length: 1)])
    }

    @Test func acceptsCaseInsensitiveUnitWhitespaceAndEmptyListElements() {
        #expect(ByteRangeSet.parse("Bytes=1-2") == [.closed(first: 1, last: 2)])
        #expect(ByteRangeSet.parse("BYTES=1-2") == [.closed(first: 1, last: 2)])
        #expect(ByteRangeSet.parse("  bytes=1-2 ,\t3-4  ") == [.closed(first: 1, last: 2), .closed(first: 3, last: 4)])
        #expect(ByteRangeSet.parse("bytes=, 1-2,,") == [.closed(first: 1, last: 2)])
    }

    @Test(arguments: [
        "", "bytes", "bytes=", "bytes=,", "bytes=-", "bytes=a-b", "bytes=1-a", "bytes=--5", "bytes=5",
        "bytes=1-2-3", "bytes=2-1", "items=0-1", "bytes 0-1", "bytes=0 -1", "bytes=+1-2", "bytes=0-1;x",
        "bytes =0-1", "byte=0-1", "bytess=0-1", "bytes=0x1-2",
    ])
    func refusesMalformedHeaders(header: String) {
        #expect(ByteRangeSet.parse(header) == nil)
        #expect(ByteRangeSet.evaluate(header, length: 1000) == .ignored)
    }

    @Test func oneBadSpecInvalidatesTheWholeHeader() {
        #expect(ByteRangeSet.evaluate("bytes=0-1,9-3", length: 100) == .ignored)
    }

    @Test func saturatesHugeNumbersInsteadOfOverflowing() {
        #expect(ByteRangeSet.parse("bytes=0-99999999999999999999999") == [.closed(first: 0, last: .max)])
        #expect(ByteRangeSet.evaluate("bytes=0-99999999999999999999999", length: 10) == .ranges([r(0, 9)]))
        #expect(ByteRangeSet.evaluate("bytes=99999999999999999999999-", length: 10) == .unsatisfiable)
        #expect(ByteRangeSet.evaluate("bytes=-99999999999999999999999", length: 10) == .ranges([r(0, 9)]))
    }

    @Test func resolvesRangesAgainstTheLength() {
        #expect(ByteRangeSet.evaluate("bytes=0-499", length: 1000) == .ranges([r(0, 499)]))
        #expect(ByteRangeSet.evaluate("bytes=500-", length: 1000) == .ranges([r(500, 999)]))
        #expect(ByteRangeSet.evaluate("bytes=0-", length: 1000) == .ranges([r(0, 999)]))
        #expect(ByteRangeSet.evaluate("bytes=999-999", length: 1000) == .ranges([r(999, 999)]))
    }

    @Test func suffixRangeSelectsTheLastBytesNotTheFirst() {
        #expect(ByteRangeSet.evaluate("bytes=-500", length: 1000) == .ranges([r(500, 999)]))
        #expect(ByteRangeSet.evaluate("bytes=-1", length: 1000) == .ranges([r(999, 999)]))
        #expect(ByteRangeSet.evaluate("bytes=-5000", length: 1000) == .ranges([r(0, 999)]))
    }

    @Test func clampsTheLastPositionToTheEnd() {
        #expect(ByteRangeSet.evaluate("bytes=900-5000", length: 1000) == .ranges([r(900, 999)]))
    }

    @Test func dropsRangesStartingPastTheEndAndKeepsTheOthers() {
        #expect(ByteRangeSet.evaluate("bytes=2000-3000,0-9", length: 1000) == .ranges([r(0, 9)]))
        #expect(ByteRangeSet.evaluate("bytes=1000-", length: 1000) == .unsatisfiable)
        #expect(ByteRangeSet.evaluate("bytes=1000-1000", length: 1000) == .unsatisfiable)
    }

    @Test func zeroSuffixIsUnsatisfiable() {
        #expect(ByteRangeSet.evaluate("bytes=-0", length: 1000) == .unsatisfiable)
        #expect(ByteRangeSet.evaluate("bytes=-0,0-0", length: 1000) == .ranges([r(0, 0)]))
    }

    @Test func nothingIsSatisfiableInAnEmptyRepresentation() {
        #expect(ByteRangeSet.evaluate("bytes=0-", length: 0) == .unsatisfiable)
        #expect(ByteRangeSet.evaluate("bytes=0-0", length: 0) == .unsatisfiable)
        #expect(ByteRangeSet.evaluate("bytes=-1", length: 0) == .unsatisfiable)
    }

    @Test func keepsSeveralRangesInTheClientsOrder() {
        #expect(ByteRangeSet.evaluate("bytes=500-599,0-99,-100", length: 1000) == .ranges([r(500, 599), r(0, 99), r(900, 999)]))
    }

    @Test func adjacentRangesAreNotOverlapping() {
        #expect(ByteRangeSet.evaluate("bytes=0-9,10-19", length: 100) == .ranges([r(0, 9), r(10, 19)]))
    }

    @Test func overlappingRangesAreAnsweredInFull() {
        #expect(ByteRangeSet.evaluate("bytes=0-9,5-19", length: 100) == .ignored)
        #expect(ByteRangeSet.evaluate("bytes=0-,0-", length: 100) == .ignored)
        #expect(ByteRangeSet.evaluate("bytes=-50,60-70", length: 100) == .ignored)
    }

    @Test func tooManyRangesAreAnsweredInFull() {
        let sixteen = (0..<16).map { "\($0 * 10)-\($0 * 10 + 1)" }.joined(separator: ",")
        let seventeen = sixteen + ",200-201"
        guard case .ranges(let ranges) = ByteRangeSet.evaluate("bytes=" + sixteen, length: 1000) else {
            Issue.record("16 ranges should be honoured")
            return
        }
        #expect(ranges.count == 16)
        #expect(ByteRangeSet.evaluate("bytes=" + seventeen, length: 1000) == .ignored)
        #expect(ByteRangeSet.evaluate("bytes=0-1,5-6", length: 1000, maximumRanges: 1) == .ignored)
    }

    @Test func rangeLengthCountsBothEnds() {
        #expect(r(0, 0).length == 1)
        #expect(r(10, 19).length == 10)
    }
}
