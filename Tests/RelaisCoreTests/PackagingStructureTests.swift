import RelaisCore
import Testing

/// The ordered SCOs/AUs of a package (`BundleStructure`), launch URLs as the CAM joins them, the
/// run-time values taken from the manifest, and the publisher read from LOM metadata.
@Suite struct PackagingStructureTests {
    static let scorm2004 = """
        <manifest identifier="fr.exemple.fractions" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
                  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
          <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion>
            <lom xmlns="http://ltsc.ieee.org/xsd/LOM"><lifeCycle>
              <contribute><role><source>LOMv1.0</source><value>author</value></role><entity>BEGIN:VCARD
        FN:Anne Auteur
        END:VCARD</entity></contribute>
              <contribute><role><source>LOMv1.0</source><value>publisher</value></role><entity>BEGIN:VCARD
        VERSION:2.1
        FN:Jean Dupont
        ORG:Éditions du Cartable;Numérique
        END:VCARD</entity></contribute>
            </lifeCycle></lom>
          </metadata>
          <organizations default="org">
            <organization identifier="org"><title>Fractions</title>
              <item identifier="intro" identifierref="r-play" parameters="?content=playing"><title>Introduction</title>
                <adlcp:completionThreshold>0.75</adlcp:completionThreshold>
                <imsss:sequencing IDRef="common"/>
              </item>
              <item identifier="chapitre"><title>Chapitre 1</title>
                <item identifier="quiz" identifierref="r-quiz" parameters="mode=test#q1"><title>Quiz</title>
                  <adlcp:dataFromLMS>niveau=2</adlcp:dataFromLMS>
                  <imsss:sequencing><imsss:objectives>
                    <imsss:objective objectiveID="obj-2"/>
                    <imsss:primaryObjective objectiveID="obj-quiz" satisfiedByMeasure="true">
                      <imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>
                    </imsss:primaryObjective>
                  </imsss:objectives></imsss:sequencing>
                </item>
                <item identifier="hidden" identifierref="r-play" isvisible="false" parameters="#fin"><title>Fin</title></item>
                <item identifier="nothing"><title>Pas de ressource</title></item>
              </item>
              <imsss:sequencing><imsss:controlMode choice="false" flow="true"/></imsss:sequencing>
            </organization>
          </organizations>
          <resources>
            <resource identifier="r-play" type="webcontent" adlcp:scormType="sco" href="shared/launch page.html"/>
            <resource identifier="r-quiz" type="webcontent" adlcp:scormType="sco" xml:base="quiz/" href="index.html?lang=fr"/>
          </resources>
          <imsss:sequencingCollection>
            <imsss:sequencing ID="common"><imsss:objectives><imsss:primaryObjective objectiveID="intro-done"/></imsss:objectives></imsss:sequencing>
          </imsss:sequencingCollection>
        </manifest>
        """

    @Test func derivesTheOrderedSCOsWithTheirLaunchRunTimeValuesAndGroups() throws {
        let manifest = try ScormManifest(parsing: Array(Self.scorm2004.utf8))
        let structure = BundleStructure.scorm(manifest)
        #expect(structure.entries.map(\.id) == ["intro", "quiz", "hidden"])
        #expect(!structure.choice && structure.flow)
        let intro = structure.entries[0]
        #expect(intro.launch == "shared/launch page.html?content=playing")
        #expect(intro.completionThreshold == 0.75 && intro.groups.isEmpty)
        #expect(intro.objectiveIds == ["intro-done"])  // from the sequencing collection
        let quiz = structure.entries[1]
        // parameters without "?" joined with "&" to a href that has a query, before the fragment.
        #expect(quiz.launch == "quiz/index.html?lang=fr&mode=test#q1")
        #expect(quiz.groups == [.init(id: "chapitre", title: "Chapitre 1")] && quiz.depth == 1)
        #expect(quiz.objectiveIds == ["obj-quiz", "obj-2"])  // primary first
        #expect(quiz.scaledPassingScore == 0.6 && quiz.launchData == "niveau=2")
        let hidden = structure.entries[2]
        #expect(hidden.launch == "shared/launch page.html#fin" && !hidden.visible)
        #expect(manifest.publisher == "Éditions du Cartable")
    }

    @Test func joinsParametersAsTheCAMSays() {
        #expect(ScormManifest.appending("?content=playing", to: "shared/launchpage.html") == "shared/launchpage.html?content=playing")
        #expect(ScormManifest.appending("?b=2", to: "a.html?a=1") == "a.html?a=1&b=2")
        #expect(ScormManifest.appending("&b=2", to: "a.html") == "a.html?b=2")
        #expect(ScormManifest.appending("b=2", to: "a.html") == "a.html?b=2")
        #expect(ScormManifest.appending("#top", to: "a.html?a=1") == "a.html?a=1#top")
        #expect(ScormManifest.appending("#top", to: "a.html#already") == "a.html#already")
        #expect(ScormManifest.appending("?", to: "a.html") == "a.html")
        #expect(ScormManifest.appending(nil, to: "a.html") == "a.html")
    }

    @Test func scorm12MasteryScoreAndVCardWithoutOrg() throws {
        let text = """
            <manifest identifier="golf12" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
              <metadata><schemaversion>1.2</schemaversion>
                <imsmd:lom xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><imsmd:lifecycle><imsmd:contribute>
                  <imsmd:role><imsmd:source><imsmd:langstring>LOMv1.0</imsmd:langstring></imsmd:source><imsmd:value><imsmd:langstring>Publisher</imsmd:langstring></imsmd:value></imsmd:role>
                  <imsmd:centity><imsmd:vcard>BEGIN:VCARD FN:Rustici END:VCARD</imsmd:vcard></imsmd:centity>
                </imsmd:contribute></imsmd:lifecycle></imsmd:lom>
              </metadata>
              <organizations default="o"><organization identifier="o"><title>Golf</title>
                <item identifier="a" identifierref="ra"><title>A</title><adlcp:masteryscore>80</adlcp:masteryscore></item>
                <item identifier="b" identifierref="rb"><title>B</title></item>
              </organization></organizations>
              <resources><resource identifier="ra" type="webcontent" adlcp:scormtype="sco" href="a.html"/>
                <resource identifier="rb" type="webcontent" adlcp:scormtype="asset" href="b.html"/></resources>
            </manifest>
            """
        let manifest = try ScormManifest(parsing: Array(text.utf8))
        let structure = BundleStructure.scorm(manifest)
        #expect(structure.entries.map(\.masteryScore) == ["80", nil])
        #expect(structure.entries.map(\.scormType) == ["sco", "asset"])
        #expect(structure.entries[0].completionThreshold == nil && structure.entries[0].objectiveIds.isEmpty)
        // A vCard written on one line, under SCORM 1.2's imsmd:centity.
        #expect(manifest.publisher == "Rustici")
        let derived = try DerivedManifest.scorm(manifest)
        #expect(derived.kind == .solution && derived.publisher == "Rustici")
    }

    static let cmi5 = """
        <courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
          <course id="https://exemple.fr/cours/fractions"><title><langstring lang="fr-FR">Fractions</langstring></title>
            <description><langstring lang="fr-FR">Un cours</langstring></description></course>
          <block id="https://exemple.fr/cours/fractions/bloc-1">
            <title><langstring lang="fr-FR">Bloc 1</langstring></title><description><langstring lang="fr-FR">-</langstring></description>
            <au id="https://exemple.fr/cours/fractions/au-1" moveOn="Completed">
              <title><langstring lang="fr-FR">Partager</langstring></title><description><langstring lang="fr-FR">-</langstring></description>
              <url>au1.html?etape=1</url></au>
            <au id="https://exemple.fr/cours/fractions/au-2" moveOn="Passed" masteryScore="0.8">
              <title><langstring lang="fr-FR">Comparer</langstring></title><description><langstring lang="fr-FR">-</langstring></description>
              <url>au2.html</url></au>
          </block>
          <block id="https://exemple.fr/cours/fractions/bloc-2">
            <title><langstring lang="fr-FR">Bloc 2</langstring></title><description><langstring lang="fr-FR">-</langstring></description>
            <au id="https://exemple.fr/cours/fractions/au-3" moveOn="CompletedOrPassed">
              <title><langstring lang="en-US">Add</langstring><langstring lang="fr-FR">Additionner</langstring></title>
              <description><langstring lang="fr-FR">-</langstring></description><url>au3.html</url></au>
          </block>
        </courseStructure>
        """

    @Test func cmi5ListsEveryAUInCourseOrderWithItsBlock() throws {
        let structure = BundleStructure.cmi5(try Cmi5CourseStructure(parsing: Array(Self.cmi5.utf8)))
        #expect(structure.entries.map(\.id) == [
            "https://exemple.fr/cours/fractions/au-1", "https://exemple.fr/cours/fractions/au-2", "https://exemple.fr/cours/fractions/au-3",
        ])
        #expect(structure.entries.map(\.title) == ["Partager", "Comparer", "Additionner"])
        #expect(structure.entries.map(\.launch) == ["au1.html?etape=1", "au2.html", "au3.html"])
        #expect(structure.entries.map { $0.groups.map(\.title) } == [["Bloc 1"], ["Bloc 1"], ["Bloc 2"]])
        #expect(structure.entries[1].scaledPassingScore == 0.8 && structure.entries[1].moveOn == "Passed")
        #expect(structure.neighbour(of: structure.entries[0].id, offset: 1)?.title == "Comparer")
        #expect(structure.neighbour(of: structure.entries[0].id, offset: -1) == nil)
    }

    @Test func aBundleWithoutItsPackageManifestIsNamedInTheError() throws {
        let manifest = BundleManifest(
            id: "fr.exemple.cours", version: "1.0.0", kind: .solution, title: .init(fr: "Cours"), description: .init(fr: ""),
            publisher: "Exemple", standard: .cmi5, entry: "index.html")
        #expect(throws: PackagingError.missing(file: "cmi5.xml", element: "file in the bundle")) {
            _ = try BundleStructure.of(manifest) { _ in nil }
        }
        var html = manifest
        html.standard = .html5
        #expect(try BundleStructure.of(html) { _ in nil }.entries == [BundleStructureEntry(id: "fr.exemple.cours", title: "Cours", launch: "index.html")])
    }
}
