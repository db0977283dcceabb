import RelaisCore
import Testing

/// imsmanifest.xml parsing: standard version, title, launch (xml:base, parameters), errors.
@Suite struct PackagingScormManifestTests {
    static let scorm12 = """
        <?xml version="1.0" standalone="no" ?>
        <manifest identifier="com.scorm.golfsamples.runtime.basicruntime.12" version="1"
                 xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
                 xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
          <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
          <organizations default="golf_sample_default_org">
            <organization identifier="golf_sample_default_org">
              <title>Golf Explained - Run-time Basic Calls</title>
              <item identifier="item_1" identifierref="resource_1"><title>Golf Explained</title></item>
            </organization>
          </organizations>
          <resources>
            <resource identifier="resource_1" type="webcontent" adlcp:scormtype="sco" href="shared/launchpage.html">
              <file href="shared/launchpage.html"/><file href="shared/style.css"/>
            </resource>
          </resources>
        </manifest>
        """

    static let scorm2004 = """
        <manifest identifier="MANIFEST-2004" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
                  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xml:base="course/">
          <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
          <organizations default="second">
            <organization identifier="first"><title>Not this one</title>
              <item identifier="i0" identifierref="r0"/></organization>
            <organization identifier="second"><title>  Les   fractions  </title>
              <item identifier="chapter"><title>Chapitre 1</title>
                <item identifier="i1" identifierref="r1" parameters="?lang=fr"><title>Leçon 1</title></item>
              </item>
            </organization>
          </organizations>
          <resources xml:base="sco">
            <resource identifier="r0" type="webcontent" adlcp:scormType="sco" href="zero.html"/>
            <resource identifier="r1" type="webcontent" adlcp:scormType="sco" xml:base="lesson1/" href="index%20fr.html">
              <dependency identifierref="common"/>
            </resource>
          </resources>
        </manifest>
        """

    @Test func readsAScorm12Manifest() throws {
        let manifest = try ScormManifest(parsing: Array(Self.scorm12.utf8))
        #expect(manifest.identifier == "com.scorm.golfsamples.runtime.basicruntime.12")
        #expect(manifest.version == .scorm12 && manifest.schemaVersion == "1.2")
        #expect(manifest.title == "Golf Explained - Run-time Basic Calls")
        #expect(manifest.launch?.url == "shared/launchpage.html")
        #expect(manifest.resources.first?.scormType == "sco")
        #expect(manifest.resources.first?.files == ["shared/launchpage.html", "shared/style.css"])
    }

    @Test func readsAScorm2004ManifestWithBasesParametersAndNestedItems() throws {
        let manifest = try ScormManifest(parsing: Array(Self.scorm2004.utf8))
        #expect(manifest.version == .scorm2004)
        #expect(manifest.defaultOrganization?.identifier == "second")
        #expect(manifest.title == "Les fractions")
        #expect(manifest.launch?.item.identifier == "i1")
        #expect(manifest.launch?.url == "course/sco/lesson1/index%20fr.html?lang=fr")
        #expect(manifest.resources[1].dependencies == ["common"])
        let derived = try DerivedManifest.scorm(manifest)
        #expect(derived.entry == "course/sco/lesson1/index fr.html")
        #expect(derived.standard == .scorm2004 && derived.id == "local.manifest-2004")
    }

    @Test(arguments: [
        ("http://www.imsglobal.org/xsd/imscp_v1p1", "http://www.adlnet.org/xsd/adlcp_v1p3", ScormManifest.Version.scorm2004),
        ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "http://www.adlnet.org/xsd/adlcp_rootv1p2", .scorm12),
    ])
    func tellsTheVersionFromNamespacesWhenSchemaversionIsMissing(cp: String, adlcp: String, expected: ScormManifest.Version) throws {
        let xml = "<manifest identifier=\"a.b\" xmlns=\"\(cp)\" xmlns:adlcp=\"\(adlcp)\"><organizations/><resources/></manifest>"
        #expect(try ScormManifest(parsing: Array(xml.utf8)).version == expected)
    }

    @Test func refusesAManifestWithoutIdentifier() {
        #expect(throws: PackagingError.missing(file: "imsmanifest.xml", element: "identifier attribute on <manifest>")) {
            _ = try ScormManifest(parsing: Array("<manifest><organizations/></manifest>".utf8))
        }
    }

    @Test func refusesMalformedXMLNamingTheFile() {
        let error = #expect(throws: PackagingError.self) { _ = try ScormManifest(parsing: Array("<manifest identifier='a'><oops></manifest>".utf8)) }
        guard case .invalidXML(let file, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(file == "imsmanifest.xml")
    }

    @Test func refusesALaunchOutsideThePackage() throws {
        let xml = """
            <manifest identifier="a.b"><organizations default="o"><organization identifier="o">
            <item identifier="i" identifierref="r"/></organization></organizations>
            <resources><resource identifier="r" href="https://cdn.example/course.html"/></resources></manifest>
            """
        let manifest = try ScormManifest(parsing: Array(xml.utf8))
        #expect(throws: PackagingError.externalEntry(file: "imsmanifest.xml", url: "https://cdn.example/course.html")) {
            _ = try DerivedManifest.scorm(manifest)
        }
    }

    @Test func ignoresExternalEntitiesAndDeepNesting() throws {
        let entity = """
            <?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <manifest identifier="a.b"><organizations><organization identifier="o"><title>&x;</title></organization></organizations></manifest>
            """
        let manifest = try? ScormManifest(parsing: Array(entity.utf8))
        #expect(manifest?.title?.contains("root:") != true)
        let deep = "<manifest identifier='a.b'>" + String(repeating: "<x>", count: 300) + String(repeating: "</x>", count: 300) + "</manifest>"
        #expect(throws: PackagingError.self) { _ = try ScormManifest(parsing: Array(deep.utf8)) }
    }
}
