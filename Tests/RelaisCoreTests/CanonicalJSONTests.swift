import RelaisCore
import Testing

struct CanonicalJSONTests {
    func canonical(_ text: String) throws -> String {
        String(decoding: try CanonicalJSON(parsing: Array(text.utf8)).canonicalBytes(), as: UTF8.self)
    }

    @Test func sortsKeysByCodePointAndDropsWhitespace() throws {
        let text = #"{ "~": 1, "ä": "ü", "a": [true, null, "x"], "B": -3, "nested": {"z": {}, "y": []} }"#
        #expect(try canonical(text) == #"{"B":-3,"a":[true,null,"x"],"nested":{"y":[],"z":{}},"~":1,"ä":"ü"}"#)
    }

    @Test func escapesOnlyTheQuoteAndTheBackslash() throws {
        let value = CanonicalJSON.string("a\"b\\c\nd/é")
        #expect(String(decoding: value.canonicalBytes(), as: UTF8.self) == "\"a\\\"b\\\\c\nd/é\"")
    }

    @Test func readsEveryJSONEscape() throws {
        #expect(try CanonicalJSON(parsing: Array(#""\u00e9\ud83d\ude00\n\/\t""#.utf8)) == .string("é😀\n/\t"))
    }

    @Test func canonicalBytesParseBackToTheSameValue() throws {
        let value = try CanonicalJSON(parsing: Array(#"{"signed":{"_type":"root","version":12,"keys":{"ab":{"keyval":{"public":"x"}}}},"signatures":[]}"#.utf8))
        #expect(try CanonicalJSON(parsing: value.canonicalBytes()) == value)
        #expect(value["signed"]?["version"] == .integer(12))
    }

    @Test(arguments: [#"{"a": 1.0}"#, #"{"a": 1e3}"#, "[2E1]", "-0.5"])
    func refusesNumbersThatAreNotIntegers(text: String) {
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON(parsing: Array(text.utf8)) }
    }

    @Test func refusesADuplicateKeyNamingIt() {
        #expect(throws: CanonicalJSONError.duplicateKey("version")) {
            try CanonicalJSON(parsing: Array(#"{"version": 1, "version": 2}"#.utf8))
        }
    }

    @Test(arguments: ["", "{", #"{"a" 1}"#, "[1,]", "01", "tru", #""\ud800""#, "{} {}", "\"a\u{01}b\"", "[1] x"])
    func refusesMalformedJSON(text: String) {
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON(parsing: Array(text.utf8)) }
    }

    @Test func refusesBytesThatAreNotUTF8() {
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON(parsing: [0x22, 0xff, 0x22]) }
    }

    @Test func keepsTheFullInt64Range() throws {
        #expect(try CanonicalJSON(parsing: Array("-9223372036854775808".utf8)) == .integer(.min))
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON(parsing: Array("9223372036854775808".utf8)) }
    }

    /// Expected bytes printed by securesystemslib's `encode_canonical` for the same document.
    @Test func matchesSecuresystemslibOnADocumentWithEscapesAndAccents() throws {
        let input = #"{"~": 1, "\u00e4": "\u00fc", "a": [true, null, "x\"y\\z"], "B": -3, "nested": {"z": {}, "y": []}, "\u03a9": "e\u0301"}"#
        let expected = #"{"B":-3,"a":[true,null,"x\"y\\z"],"nested":{"y":[],"z":{}},"~":1,"ä":"ü","Ω":"é"}"#
        #expect(try canonical(input) == expected)
    }
}
