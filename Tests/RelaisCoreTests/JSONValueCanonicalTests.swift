import RelaisCore
import Testing

/// RelaisCore's one JSON reader and writer, under TUF's rules: integers only, securesystemslib's form.
struct JSONValueCanonicalTests {
    func canonical(_ text: String) throws -> String {
        String(decoding: try JSONValue(parsing: Array(text.utf8), numbers: .integersOnly).canonicalBytes(), as: UTF8.self)
    }

    @Test func sortsKeysByCodePointAndDropsWhitespace() throws {
        let text = #"{ "~": 1, "ä": "ü", "a": [true, null, "x"], "B": -3, "nested": {"z": {}, "y": []} }"#
        #expect(try canonical(text) == #"{"B":-3,"a":[true,null,"x"],"nested":{"y":[],"z":{}},"~":1,"ä":"ü"}"#)
    }

    @Test func escapesOnlyTheQuoteAndTheBackslash() throws {
        let value = JSONValue.string("a\"b\\c\nd/é")
        #expect(String(decoding: value.canonicalBytes(), as: UTF8.self) == "\"a\\\"b\\\\c\nd/é\"")
    }

    @Test func readsEveryJSONEscape() throws {
        #expect(try JSONValue(parsing: Array(#""\u00e9\ud83d\ude00\n\/\t""#.utf8), numbers: .integersOnly) == .string("é😀\n/\t"))
    }

    @Test func canonicalBytesParseBackToTheSameValue() throws {
        let value = try JSONValue(parsing: Array(#"{"signed":{"_type":"root","version":12,"keys":{"ab":{"keyval":{"public":"x"}}}},"signatures":[]}"#.utf8), numbers: .integersOnly)
        #expect(try JSONValue(parsing: value.canonicalBytes(), numbers: .integersOnly) == value)
        #expect(value["signed"]?["version"] == .integer(12))
    }

    @Test(arguments: [#"{"a": 1.0}"#, #"{"a": 1e3}"#, "[2E1]", "-0.5"])
    func refusesNumbersThatAreNotIntegers(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: Array(text.utf8), numbers: .integersOnly) }
    }

    @Test func refusesADuplicateKeyNamingIt() {
        #expect(throws: JSONSyntaxError.duplicateKey(15, "version")) {
            try JSONValue(parsing: Array(#"{"version": 1, "version": 2}"#.utf8), numbers: .integersOnly)
        }
    }

    @Test(arguments: ["", "{", #"{"a" 1}"#, "[1,]", "01", "tru", #""\ud800""#, "{} {}", "\"a\u{01}b\"", "[1] x"])
    func refusesMalformedJSON(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: Array(text.utf8), numbers: .integersOnly) }
    }

    @Test func refusesBytesThatAreNotUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: [0x22, 0xff, 0x22], numbers: .integersOnly) }
    }

    @Test func keepsTheFullInt64Range() throws {
        #expect(try JSONValue(parsing: Array("-9223372036854775808".utf8), numbers: .integersOnly) == .integer(.min))
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: Array("9223372036854775808".utf8), numbers: .integersOnly) }
    }

    /// Expected bytes printed by securesystemslib's `encode_canonical` for the same document.
    @Test func matchesSecuresystemslibOnADocumentWithEscapesAndAccents() throws {
        let input = #"{"~": 1, "\u00e4": "\u00fc", "a": [true, null, "x\"y\\z"], "B": -3, "nested": {"z": {}, "y": []}, "\u03a9": "e\u0301"}"#
        let expected = #"{"B":-3,"a":[true,null,"x\"y\\z"],"nested":{"y":[],"z":{}},"~":1,"ä":"ü","Ω":"é"}"#
        #expect(try canonical(input) == expected)
    }

    /// The licence documents name a refused number by its field: the reader says where it sits.
    @Test func aRefusedNumberComesWithItsPathInTheDocument() {
        #expect(throws: JSONSyntaxError.notAnInteger(47, path: [.key("abonnements"), .index(1), .key("nb")])) {
            try JSONValue(parsing: Array(#"{"uai": "x", "abonnements": [{"nb": 1}, {"nb": 2.5}]}"#.utf8), numbers: .integersOnly)
        }
    }

    @Test func theXAPIPolicyKeepsIntegersAndDoublesApart() throws {
        let value = try JSONValue(parsing: Array(#"[10, 10.0, 1e2, 9223372036854775808]"#.utf8), numbers: .integersAndFractions)
        guard case .array(let items) = value, items.count == 4 else { Issue.record("not an array of 4: \(value)"); return }
        #expect(items[0] == .integer(10))
        if case .number(let d) = items[1] { #expect(d == 10) } else { Issue.record("10.0 read as \(items[1])") }
        if case .number(let d) = items[3] { #expect(d == 9.223372036854775808e18) } else { Issue.record("2^63 read as \(items[3])") }
        #expect(String(decoding: value.serialized(), as: UTF8.self) == "[10,10.0,100.0,9.223372036854776e+18]")
    }

    /// One writer, two escapings: RFC 8259 for statements, securesystemslib's for signatures.
    @Test func controlCharactersAreEscapedOnlyInTheJSONForm() {
        let value: JSONValue = ["k": "a\nb\u{01}"]
        #expect(String(decoding: value.serialized(), as: UTF8.self) == #"{"k":"a\nb\u0001"}"#)
        #expect(value.canonicalBytes() == Array("{\"k\":\"a\nb\u{01}\"}".utf8))
    }
}
