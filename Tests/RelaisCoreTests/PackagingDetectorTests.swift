import RelaisCore
import Testing

/// Which standard a package follows, from its file list, and the ids derived for it.
@Suite struct PackagingDetectorTests {
    func paths(_ names: [String]) throws -> [BundlePath] { try names.map { try BundlePath($0) } }

    @Test func detectsEachStandardAtTheRoot() throws {
        #expect(try PackageDetector.detect(files: paths(["imsmanifest.xml", "a/b.html"])).kind == .scorm)
        #expect(try PackageDetector.detect(files: paths(["cmi5.xml", "index.html"])).kind == .cmi5)
        #expect(try PackageDetector.detect(files: paths(["index.html", "js/app.js"])).kind == .html5)
        #expect(try PackageDetector.detect(files: paths(["bundle.json", "imsmanifest.xml"])).kind == .bundle)
    }

    @Test func prefersCmi5InADualPackage() throws {
        #expect(try PackageDetector.detect(files: paths(["imsmanifest.xml", "cmi5.xml"])).kind == .cmi5)
    }

    @Test func findsAPackageZippedWithItsFolder() throws {
        let detection = try PackageDetector.detect(files: paths(["Cours/IMSManifest.xml", "Cours/sco/a.html", "__MACOSX/Cours/._a.html"]))
        #expect(detection.kind == .scorm && detection.root == "Cours" && detection.manifest.value == "Cours/IMSManifest.xml")
        #expect(detection.bundlePath(try BundlePath("Cours/sco/a.html"))?.value == "sco/a.html")
        #expect(detection.bundlePath(try BundlePath("Autre/x")) == nil)
    }

    @Test func refusesAFileListWithNoPackageListingTheTopLevel() throws {
        #expect(throws: PackagingError.notAPackage(topLevel: ["a", "b.txt"])) {
            _ = try PackageDetector.detect(files: paths(["b.txt", "a/index.html"]))
        }
    }

    @Test func treatsMacOSLitterAsLitter() throws {
        #expect(PackageDetector.isLitter(try BundlePath("__MACOSX/x/._y")))
        #expect(PackageDetector.isLitter(try BundlePath("img/.DS_Store")))
        #expect(!PackageDetector.isLitter(try BundlePath(".well-known/x")))
    }

    @Test(arguments: [
        ("com.scorm.golfsamples.runtime.basicruntime.12", "com.scorm.golfsamples.runtime.basicruntime.12"),
        ("https://w3id.org/xapi/cmi5/catapult/lts/course/single-au-basic-responsive",
         "org.w3id.xapi.cmi5.catapult.lts.course.single-au-basic-responsive"),
        ("http://user@Exemple.FR:8080/cours/Élève%201/?x=1#top", "fr.exemple.cours.eleve-1"),
        ("urn:uuid:6f1c-44", "uuid.6f1c-44"),
        ("MANIFEST-01", "local.manifest-01"),
        ("Calcul Mental", "local.calcul-mental"),
        ("", "local.package"),
        ("!!!", "local.package"),
    ])
    func derivesAReverseDNSBundleId(from identifier: String, expected: String) {
        let id = BundleIdentifier.derive(from: identifier)
        #expect(id == expected)
        #expect(BundleManifest.isReverseDNS(id))
    }

    @Test func keepsALongDerivedIdWithinTheLimitAndDistinct() {
        let base = "https://exemple.fr/" + String(repeating: "chapitre-tres-long/", count: 20)
        let one = BundleIdentifier.derive(from: base + "a")
        let two = BundleIdentifier.derive(from: base + "b")
        #expect(one.utf8.count <= 200 && BundleManifest.isReverseDNS(one) && BundleManifest.isReverseDNS(two))
        #expect(one != two)
    }

    @Test func readsTheTitleOfAnHTMLPage() {
        #expect(DerivedManifest.htmlTitle(Array("<HTML><Title lang=fr>\n Tables &amp; calcul </TITLE>".utf8)) == "Tables & calcul")
        #expect(DerivedManifest.htmlTitle(Array("<p>no title</p>".utf8)) == nil)
    }

    @Test func appliesOnlyTheOverridesThatAreSet() {
        let manifest = BundleManifest(
            id: "a.b", version: "1.0.0", kind: .training, title: .init(fr: "T", en: "T"), description: .init(fr: "D"),
            publisher: "P", standard: .cmi5, entry: "index.html")
        var expected = manifest
        expected.title.fr = "Titre"
        expected.levels = [.cycle4]
        #expect(ManifestOverrides(title: "Titre", levels: [.cycle4]).applied(to: manifest) == expected)
        #expect(ManifestOverrides().applied(to: manifest) == manifest)
    }
}
