import RelaisCore
import Testing

@testable import RelaisContent

@Suite struct ContentRequestTargetTests {
    private func file(_ id: String, _ version: String, _ path: String) throws -> ContentRequestTarget {
        .file(bundleID: id, version: version, path: try BundlePath(path))
    }

    @Test func splitsBundleVersionAndPath() throws {
        #expect(ContentRequestTarget(uri: "/b/fr.x/1.0.0/index.html") == (try file("fr.x", "1.0.0", "index.html")))
        #expect(ContentRequestTarget(uri: "/b/fr.x/1.0.0/js/app.js") == (try file("fr.x", "1.0.0", "js/app.js")))
    }

    @Test func ignoresQueryAndFragment() throws {
        #expect(ContentRequestTarget(uri: "/b/fr.x/1.0.0/a.html?v=2&x=/..") == (try file("fr.x", "1.0.0", "a.html")))
        #expect(ContentRequestTarget(uri: "/b/fr.x/1.0.0/a.html#top") == (try file("fr.x", "1.0.0", "a.html")))
    }

    @Test func percentDecodesEachSegment() throws {
        #expect(ContentRequestTarget(uri: "/b/fr.x/1.0.0/dossier%20un/%C3%A9t%C3%A9.png") == (try file("fr.x", "1.0.0", "dossier un/été.png")))
        #expect(ContentRequestTarget(uri: "/b/fr%2Ex/1.0.0/a") == (try file("fr.x", "1.0.0", "a")))
    }

    @Test func folderURLMeansItsIndex() throws {
        #expect(ContentRequestTarget(uri: "/b/fr.x/1.0.0/cours/") == (try file("fr.x", "1.0.0", "cours/index.html")))
        #expect(ContentRequestTarget(uri: "/b/fr.x/1.0.0/a/b/") == (try file("fr.x", "1.0.0", "a/b/index.html")))
    }

    @Test(arguments: ["/b/fr.x/1.0.0/", "/b/fr.x/1.0.0", "/b/fr.x", "/b/", "/", "/index.html", "/healthz", "/b//1.0.0/a", "/b/fr.x//a", "*", ""])
    func urlsWithoutAFileAreNotFound(uri: String) {
        #expect(ContentRequestTarget(uri: uri) == .notFound)
    }

    @Test(arguments: [
        "/b/fr.x/1.0.0/../secret", "/b/fr.x/1.0.0/a/../../b", "/b/fr.x/1.0.0/%2e%2e/secret", "/b/fr.x/1.0.0/%2E%2E/x",
        "/b/fr.x/1.0.0/a%2f..%2fb", "/b/fr.x/1.0.0/a%zz", "/b/fr.x/1.0.0/a%4", "/b/fr.x/1.0.0/a%", "/b/fr.x/1.0.0/%C3",
        "/b/fr.x/1.0.0/a%00b", "/b/fr.x/1.0.0/a%0Ab", "/b/../1.0.0/a", "/b/fr.x/../a", "/b/fr.x/1.0.0/a%5Cb",
    ])
    func traversalAndBadEncodingAreBadRequests(uri: String) {
        #expect(ContentRequestTarget(uri: uri) == .badRequest)
    }

    @Test func absoluteFormIsReducedToItsPath() throws {
        #expect(ContentRequestTarget(uri: "http://relais.local:8081/b/fr.x/1.0.0/a.css") == (try file("fr.x", "1.0.0", "a.css")))
        #expect(ContentRequestTarget(uri: "http://relais.local") == .notFound)
    }

    @Test func decodesValidEscapesAndKeepsPlainText() {
        #expect(ContentRequestTarget.decode("plain") == "plain")
        #expect(ContentRequestTarget.decode("a%20b%2Fc") == "a b/c")
        #expect(ContentRequestTarget.decode("%e2%82%ac") == "€")
        #expect(ContentRequestTarget.decode("%FF") == nil)
        #expect(ContentRequestTarget.decode("%G0") == nil)
    }
}
