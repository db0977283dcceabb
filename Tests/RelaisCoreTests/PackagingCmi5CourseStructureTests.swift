import RelaisCore
import Testing

/// cmi5.xml parsing: course, blocks, AUs with their launch settings, language preference, errors.
@Suite struct PackagingCmi5CourseStructureTests {
    static let catapult = """
        <?xml version="1.0" encoding="utf-8"?>
        <courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
            <course id="https://w3id.org/xapi/cmi5/catapult/lts/course/single-au-basic-responsive">
                <title><langstring lang="en-US">Introduction to Geology - Responsive Style</langstring></title>
                <description><langstring lang="en-US">
                    This course will introduce you into the basics of geology.
                </langstring></description>
            </course>
            <au id="https://w3id.org/xapi/cmi5/catapult/lts/course/single-au-basic-responsive/1" moveOn="CompletedOrPassed">
                <title><langstring lang="en-US">Introduction to Geology</langstring></title>
                <url>index.html</url>
            </au>
        </courseStructure>
        """

    static let multi = """
        <courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
          <course id="https://exemple.fr/cours/fractions">
            <title><langstring lang="en">Fractions</langstring><langstring lang="fr-FR">Les fractions</langstring></title>
          </course>
          <objectives><objective id="obj-1"><title><langstring lang="fr">Comparer</langstring></title></objective></objectives>
          <block id="https://exemple.fr/cours/fractions/bloc-1">
            <title><langstring lang="fr">Bloc 1</langstring></title>
            <objectives><objective idref="obj-1"/></objectives>
            <au id="https://exemple.fr/cours/fractions/au-1" moveOn="Passed" masteryScore="0.8" launchMethod="OwnWindow"
                activityType="http://adlnet.gov/expapi/activities/lesson">
              <title><langstring lang="fr">Découvrir</langstring></title>
              <url>au1/index.html?mode=eleve</url>
              <launchParameters>{"niveau": 2}</launchParameters>
              <entitlementKey>cle-1</entitlementKey>
            </au>
          </block>
          <au id="https://exemple.fr/cours/fractions/au-2"><title><langstring lang="fr">Évaluer</langstring></title><url>au2.html</url></au>
        </courseStructure>
        """

    @Test func readsTheCatapultSingleAUCourse() throws {
        let structure = try Cmi5CourseStructure(parsing: Array(Self.catapult.utf8))
        #expect(structure.course.id == "https://w3id.org/xapi/cmi5/catapult/lts/course/single-au-basic-responsive")
        #expect(structure.course.title.preferred() == "Introduction to Geology - Responsive Style")
        #expect(structure.course.description.preferred() == "This course will introduce you into the basics of geology.")
        let au = try #require(structure.assignableUnits.first)
        #expect(au.url == "index.html" && au.moveOn == .completedOrPassed && au.launchMethod == .anyWindow && au.masteryScore == nil)
        let derived = try DerivedManifest.cmi5(structure)
        #expect(derived.id == "org.w3id.xapi.cmi5.catapult.lts.course.single-au-basic-responsive")
        #expect(derived.standard == .cmi5 && derived.kind == .solution && derived.publisher.isEmpty && derived.entry == "index.html")
        #expect(derived.title.en == "Introduction to Geology - Responsive Style")
        #expect(derived.xapi?.activityId == structure.course.id)
    }

    @Test func readsBlocksObjectivesAndEveryAUSetting() throws {
        let structure = try Cmi5CourseStructure(parsing: Array(Self.multi.utf8))
        #expect(structure.course.title.preferred() == "Les fractions")
        #expect(structure.course.title.preferred(["en"]) == "Fractions")
        #expect(structure.objectives.map(\.id) == ["obj-1"])
        guard case .block(let block) = structure.children.first else { Issue.record("no block first"); return }
        #expect(block.objectives == ["obj-1"] && block.title.preferred() == "Bloc 1")
        let aus = structure.assignableUnits
        #expect(aus.map(\.id) == ["https://exemple.fr/cours/fractions/au-1", "https://exemple.fr/cours/fractions/au-2"])
        #expect(aus[0].moveOn == .passed && aus[0].masteryScore == 0.8 && aus[0].launchMethod == .ownWindow)
        #expect(aus[0].activityType == "http://adlnet.gov/expapi/activities/lesson")
        #expect(aus[0].launchParameters == "{\"niveau\": 2}" && aus[0].entitlementKey == "cle-1")
        #expect(aus[1].moveOn == .notApplicable)
        #expect(try DerivedManifest.cmi5(structure).entry == "au1/index.html")
    }

    @Test(arguments: [
        ("moveOn=\"CompletedOrPassed\"", "moveOn=\"Sometimes\"", PackagingError.invalidValue(
            file: "cmi5.xml", element: "moveOn of AU « https://w3id.org/xapi/cmi5/catapult/lts/course/single-au-basic-responsive/1 »", value: "Sometimes")),
        ("moveOn=\"CompletedOrPassed\"", "masteryScore=\"1.5\"", PackagingError.invalidValue(
            file: "cmi5.xml", element: "masteryScore of AU « https://w3id.org/xapi/cmi5/catapult/lts/course/single-au-basic-responsive/1 »", value: "1.5")),
        ("<url>index.html</url>", "", PackagingError.missing(
            file: "cmi5.xml", element: "<url> in AU « https://w3id.org/xapi/cmi5/catapult/lts/course/single-au-basic-responsive/1 »")),
        ("<course id=\"https://w3id.org/xapi/cmi5/catapult/lts/course/single-au-basic-responsive\">", "<course>",
            PackagingError.missing(file: "cmi5.xml", element: "id attribute on <course>")),
    ])
    func refusesAnInvalidCourseStructureNamingWhat(replacing: String, with: String, expected: PackagingError) {
        let xml = Self.catapult.replacingOccurrences(of: replacing, with: with)
        #expect(throws: expected) { _ = try Cmi5CourseStructure(parsing: Array(xml.utf8)) }
    }

    @Test func refusesAnAUHostedElsewhereAsTheEntry() throws {
        let xml = Self.catapult.replacingOccurrences(of: "<url>index.html</url>", with: "<url>https://lms.example/au</url>")
        let structure = try Cmi5CourseStructure(parsing: Array(xml.utf8))
        #expect(throws: PackagingError.externalEntry(file: "cmi5.xml", url: "https://lms.example/au")) {
            _ = try DerivedManifest.cmi5(structure)
        }
    }
}
