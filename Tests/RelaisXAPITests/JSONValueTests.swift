import RelaisCore
import RelaisXAPI
import Testing

struct JSONValueTests {
    func text(_ value: JSONValue) -> String { String(decoding: value.serialized(), as: UTF8.self) }

    @Test func integersStayIntegersAndDoublesStayDoubles() throws {
        let value = try JSONValue(parsing: #"{"a":10,"b":10.0,"c":-0.5,"d":1e3,"e":12345678901234}"#)
        #expect(value["a"] == .integer(10))
        #expect(value["b"] == .number(10))
        #expect(text(value) == #"{"a":10,"b":10.0,"c":-0.5,"d":1000.0,"e":12345678901234}"#)
    }

    @Test func serialisationSortsKeysSoEqualValuesGiveEqualBytes() throws {
        let a = try JSONValue(parsing: #"{"z":1,"a":{"y":true,"b":null},"m":["x",2]}"#)
        let b = try JSONValue(parsing: #" { "m" : [ "x" , 2 ] , "a" : { "b" : null , "y" : true } , "z" : 1 } "#)
        #expect(a.serialized() == b.serialized())
        #expect(text(a) == #"{"a":{"b":null,"y":true},"m":["x",2],"z":1}"#)
    }

    @Test func numbersCompareByValue() {
        #expect(JSONValue.integer(1) == JSONValue.number(1.0))
        #expect(JSONValue.integer(1) != JSONValue.number(1.5))
        #expect(Set<JSONValue>([.integer(3), .number(3)]).count == 1)
    }

    @Test func stringsWithEscapesAndUnicodeRoundTrip() throws {
        let value = try JSONValue(parsing: #"["\"é\\\n\t\u00e9\ud83d\ude00/\/", "\u0001"]"#)
        #expect(value == ["\"é\\\n\té😀//", "\u{01}"])
        #expect(try JSONValue(parsing: value.serialized()) == value)
        #expect(text(["\u{01}"]) == #"["\u0001"]"#)
    }

    @Test(arguments: [
        #"{"a":1,"a":2}"#, "[1,]", #"{"a":1,}"#, "01", "1.", "-", "tru", #""\ud800""#, #""abc"#, "[1] x", "1e999", "{\"a\":\"\u{01}\"}",
        "", "NaN", "'a'", String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ])
    func malformedJSONIsRefused(_ text: String) {
        #expect(throws: XAPIError.self) { try JSONValue(parsing: text) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: XAPIError.self) { try JSONValue(parsing: [0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func duplicateKeyIsNamed() {
        #expect(throws: XAPIError.badRequest("invalid JSON at byte 7: key \"a\" appears twice in one object")) {
            try JSONValue(parsing: #"{"a":1,"a":2}"#)
        }
    }
}
