import RelaisCore
import Testing

struct BundlePathTests {
    @Test func normalisesHarmlessForms() throws {
        #expect(try BundlePath("./js/app.js").value == "js/app.js")
        #expect(try BundlePath("js//app.js").value == "js/app.js")
        #expect(try BundlePath("img/").value == "img")
        #expect(try BundlePath("é lève/cours.html").value == "é lève/cours.html")
    }

    @Test func refusesEntriesThatCouldEscapeTheBundle() {
        #expect(throws: BundlePathError.absolute("/etc/passwd")) { try BundlePath("/etc/passwd") }
        #expect(throws: BundlePathError.parentSegment("a/../../b")) { try BundlePath("a/../../b") }
        #expect(throws: BundlePathError.parentSegment("..")) { try BundlePath("..") }
        #expect(throws: BundlePathError.absolute("C:/x")) { try BundlePath("C:/x") }
        #expect(throws: BundlePathError.backslash("a\\..\\b")) { try BundlePath("a\\..\\b") }
        #expect(throws: BundlePathError.empty("./")) { try BundlePath("./") }
        #expect(throws: BundlePathError.controlCharacter("a\u{0}b")) { try BundlePath("a\u{0}b") }
    }

    @Test func refusesNamesThatAreNotUTF8() {
        #expect(throws: BundlePathError.self) { try BundlePath(entryName: [0x61, 0xff, 0x62]) }
    }

    @Test func resolvesLinksRelativeToTheirFolderAndRefusesEscapes() throws {
        let link = try BundlePath("a/b/link")
        #expect(link.resolvingLink("../c.txt")?.value == "a/c.txt")
        #expect(link.resolvingLink("./d/e")?.value == "a/b/d/e")
        #expect(link.resolvingLink("../../../etc/passwd") == nil)
        #expect(link.resolvingLink("/etc/passwd") == nil)
    }

    @Test func knowsItsExtension() throws {
        #expect(try BundlePath("a/Index.HTML").fileExtension == "html")
        #expect(try BundlePath("a/.hidden").fileExtension == "")
        #expect(MediaType.forPath(try BundlePath("v/film.mp4")) == "video/mp4")
        #expect(MediaType.forPath(try BundlePath("blob")) == "application/octet-stream")
    }
}
