import RelaisXAPI
import Testing

struct FormatTests {
    @Test func timestampsNeedATimeZone() {
        #expect(XAPIFormat.timestampMilliseconds("1970-01-01T00:00:01.5Z") == 1_500)
        #expect(XAPIFormat.timestampMilliseconds("1970-01-01T01:00:00+01:00") == 0)
        #expect(XAPIFormat.timestampMilliseconds("1970-01-01T00:00:00.123456789Z") == 123)
        #expect(XAPIFormat.timestampMilliseconds("2026-09-01T08:30:00") == nil)
        #expect(XAPIFormat.timestampMilliseconds("2026-09-01T08:30:00-00:00") == nil)
        #expect(XAPIFormat.timestampMilliseconds("2026-02-30T08:30:00Z") == nil)
        #expect(XAPIFormat.timestampMilliseconds("yesterday") == nil)
    }

    @Test func timestampsAreWrittenInUTCWithMilliseconds() {
        #expect(XAPIFormat.timestamp(milliseconds: 1_788_251_400_007) == "2026-09-01T08:30:00.007Z")
        #expect(XAPIFormat.timestampMilliseconds(XAPIFormat.timestamp(milliseconds: 1_788_251_400_007)) == 1_788_251_400_007)
    }

    @Test func durations() {
        for good in ["PT1M30S", "P1D", "PT0.5S", "P1Y2M3DT4H5M6S", "P2W"] { #expect(XAPIFormat.isDuration(good), "\(good)") }
        for bad in ["P", "PT", "1M", "PT1.5M", "PT1S1M", "P1H"] { #expect(!XAPIFormat.isDuration(bad), "\(bad)") }
    }

    @Test func irisUUIDsAndLanguageTags() {
        #expect(XAPIFormat.isIRI("http://adlnet.gov/expapi/verbs/completed"))
        #expect(XAPIFormat.isIRI("urn:uuid:1234"))
        #expect(!XAPIFormat.isIRI("completed"))
        #expect(!XAPIFormat.isIRI("http://a b"))
        #expect(XAPIFormat.isUUID("6fbd600f-d17c-4c74-801a-2ec2e53231c9"))
        #expect(!XAPIFormat.isUUID("6fbd600f-d17c-4c74-801a-2ec2e53231c"))
        #expect(XAPIFormat.isLanguageTag("fr-FR") && XAPIFormat.isLanguageTag("zh-Hant-TW") && XAPIFormat.isLanguageTag("en"))
        #expect(!XAPIFormat.isLanguageTag("fr_FR") && !XAPIFormat.isLanguageTag("") && !XAPIFormat.isLanguageTag("e"))
    }

    @Test func generatedIdsAreVersion4UUIDs() {
        let id = StatementID.random()
        #expect(XAPIFormat.isUUID(id))
        #expect(Array(id)[14] == "4")
        #expect(StatementID.random() != id)
    }
}
