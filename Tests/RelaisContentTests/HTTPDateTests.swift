import Testing

@testable import RelaisContent

@Suite struct HTTPDateTests {
    @Test func formatsIMFFixdate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(1_735_689_599) == "Tue, 31 Dec 2024 23:59:59 GMT")
    }

    @Test func parsesTheThreeFormsRecipientsMustAccept() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == 784_111_777)
        #expect(HTTPDate.parse("  Sun, 06 Nov 1994 08:49:37 GMT ") == 784_111_777)
    }

    @Test func readsTwoDigitYearsBelowSeventyAsThisCentury() {
        #expect(HTTPDate.parse("Monday, 01-Jan-24 00:00:00 GMT") == 1_704_067_200)
    }

    @Test(arguments: [
        "", "yesterday", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT", "Sun Nov 6 08:49:37 1994", "Sunday, 06-Nov-1994 08:49:37 GMT", "784111777",
        "Sun, 29 Feb 2100 00:00:00 GMT",
    ])
    func refusesWhatIsNotAnHTTPDate(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test func roundTripsEveryDayForDecades() {
        var seconds: Int64 = 0
        while seconds < 4_102_444_800 {  // 2100-01-01
            #expect(HTTPDate.parse(HTTPDate.format(seconds)) == seconds)
            seconds += 86_400 * 7 + 3_661
        }
    }

    @Test func dateClockFormatsOncePerSecond() {
        final class FakeTime: @unchecked Sendable { var now: Int64 = 784_111_777 }
        let time = FakeTime()
        let clock = HTTPDateClock(now: { time.now })
        #expect(clock.date == "Sun, 06 Nov 1994 08:49:37 GMT")
        time.now += 1
        #expect(clock.date == "Sun, 06 Nov 1994 08:49:38 GMT")
        #expect(clock.lastModified(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(clock.lastModified(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
