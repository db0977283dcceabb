import RelaisCore
import Testing

struct DigestListTests {
    let a = ContentHash(hex: String(repeating: "a", count: 64))!
    let b = ContentHash(hex: String(repeating: "B", count: 64))!

    @Test func roundTripsInSha256sumFormatSortedByPath() throws {
        let list = DigestList(entries: [try BundlePath("z.txt"): a, try BundlePath("dir/a.js"): b])
        let text = list.rendered()
        #expect(text == "\(b.hex)  dir/a.js\n\(a.hex)  z.txt\n")
        #expect(try DigestList(parsing: text) == list)
    }

    @Test func acceptsBinaryModeLines() throws {
        let list = try DigestList(parsing: "\(a.hex) *x.bin\n")
        #expect(list.entries[try BundlePath("x.bin")] == a)
    }

    @Test func refusesBadLinesNamingTheLine() {
        #expect(throws: DigestListError.badLine(2)) { try DigestList(parsing: "\(a.hex)  ok\nnot a line\n") }
        #expect(throws: DigestListError.duplicate("x")) { try DigestList(parsing: "\(a.hex)  x\n\(b.hex)  ./x\n") }
        #expect(throws: DigestListError.self) { try DigestList(parsing: "\(a.hex)  ../x\n") }
    }
}
