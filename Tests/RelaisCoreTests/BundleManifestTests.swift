import Foundation
import RelaisCore
import Testing

struct BundleManifestTests {
    static var valid: [String: Any] { [
        "schema": 1, "id": "fr.relais.demo.calcul", "version": "1.2.0", "kind": "solution",
        "title": ["fr": "Calcul mental"], "description": ["fr": "Des additions."], "publisher": "Relais",
        "standard": "html5", "entry": "index.html", "levels": ["cycle2"], "subjects": ["mathématiques"],
    ] }

    func parse(_ fields: [String: Any]) throws(ManifestError) -> BundleManifest {
        let data = try! JSONSerialization.data(withJSONObject: fields)
        return try BundleManifest.parse(data)
    }

    func changing(_ key: String, to value: Any?) -> [String: Any] {
        var fields = Self.valid
        fields[key] = value
        return fields
    }

    @Test func parsesAValidManifestAndRoundTrips() throws {
        let manifest = try parse(Self.valid)
        #expect(manifest.id == "fr.relais.demo.calcul")
        #expect(manifest.levels == [.cycle2])
        #expect(try BundleManifest.parse(manifest.encoded()) == manifest)
    }

    @Test(arguments: ["id", "version", "kind", "title", "standard", "entry", "publisher"])
    func namesAMissingField(field: String) {
        #expect(throws: ManifestError.missing(field: field)) { try parse(changing(field, to: nil)) }
    }

    @Test func namesTheInvalidField() {
        #expect(throws: ManifestError.self) { try parse(changing("version", to: "1.2")) }
        do {
            _ = try parse(changing("version", to: "1.2"))
        } catch {
            #expect(error.description.contains("`version`"))
        }
        do {
            _ = try parse(changing("standard", to: "flash"))
        } catch {
            #expect(error.description.contains("`standard`"))
        }
        do {
            _ = try parse(changing("title", to: ["en": "Only English"]))
        } catch {
            #expect(error.description.contains("`title.fr`"))
        }
        #expect(throws: ManifestError.invalid(field: "id", "must be a reverse-DNS identifier such as fr.editeur.calcul-mental, got « calcul »")) {
            try parse(changing("id", to: "calcul"))
        }
        #expect(throws: ManifestError.self) { try parse(changing("entry", to: "../index.html")) }
        #expect(throws: ManifestError.self) { try parse(changing("schema", to: 2)) }
    }

    @Test func refusesSomethingThatIsNotJSON() {
        #expect(throws: ManifestError.self) { try BundleManifest.parse(Data("{nope".utf8)) }
    }

    @Test func ordersSemanticVersions() throws {
        let order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0", "1.0.1", "1.10.0", "2.0.0"]
        let versions = order.compactMap(SemanticVersion.init)
        #expect(versions.count == order.count)
        #expect(versions == versions.sorted())
        #expect(SemanticVersion("01.0.0") == nil)
        #expect(SemanticVersion("1.0") == nil)
    }

    @Test func formatsByteCountsTheFrenchWay() {
        #expect(ByteCount.format(512) == "512 o")
        #expect(ByteCount.format(1536) == "1,5 Ko")
        #expect(ByteCount.format(10 << 20) == "10,0 Mo")
    }
}
