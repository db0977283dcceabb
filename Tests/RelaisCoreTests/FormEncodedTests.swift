import RelaisCore
import Testing

struct FormEncodedTests {
    @Test func plusIsASpaceAsFormsEncodeIt() throws {
        // What Python's urlencode sends for agent={"objectType": "Agent", ...}.
        let query = try FormEncoded("agent=%7B%22objectType%22%3A+%22Agent%22%2C+%22mbox%22%3A+%22mailto%3Aa%40b.c%22%7D&since=2026-12-04+17%3A58%3A32%2B00%3A00")
        #expect(query["agent"] == #"{"objectType": "Agent", "mbox": "mailto:a@b.c"}"#)
        #expect(query["since"] == "2026-12-04 17:58:32+00:00")
    }

    @Test func percentTwentyStillWorksAndAnEncodedPlusStaysAPlus() throws {
        let query = try FormEncoded("a=x%20y&b=1%2B1&c=&d")
        #expect(query["a"] == "x y")
        #expect(query["b"] == "1+1")
        #expect(query["c"] == "")
        #expect(query["d"] == "")
        #expect(query["e"] == nil)
        #expect(query.names == ["a", "b", "c", "d"])
    }

    @Test func namesAreDecodedToo() throws {
        let query = try FormEncoded("state%49d=s+1")
        #expect(query["stateId"] == "s 1")
    }

    @Test func malformedEncodingIsRefusedNamingTheParameter() {
        #expect(throws: FormEncodingError(field: "agent")) {
            try FormEncoded("agent=%7")
        }
        #expect(throws: FormEncodingError(field: "agent")) { try FormEncoded("agent=%FF%FE") }
        #expect(FormEncodingError(field: "agent").description == "the agent parameter is not valid form encoding (%XX with two hex digits, UTF-8)")
    }

    @Test func noQueryIsEmpty() throws {
        #expect(try FormEncoded(nil).pairs.isEmpty)
        #expect(try FormEncoded("").pairs.isEmpty)
    }
}
