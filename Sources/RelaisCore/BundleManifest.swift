import Foundation

/// `bundle.json`, the manifest at the root of every bundle (product.md, "bundle.json").
public struct BundleManifest: Codable, Sendable, Equatable {
    /// Format version of bundle.json; only 1 exists.
    public var schema: Int
    /// Stable reverse-DNS identifier, e.g. "fr.relais.demo.calcul-mental".
    public var id: String
    /// Semantic version, e.g. "1.2.0".
    public var version: String
    public var kind: Kind
    public var title: LocalizedText
    public var description: LocalizedText
    public var publisher: String
    public var standard: Standard
    /// Path of the file to open, relative to the bundle root.
    public var entry: String
    public var levels: [Level]
    public var subjects: [String]
    public var durationMinutes: Int?
    public var xapi: XAPI?
    /// Ids of training bundles a teacher should complete before using this solution.
    public var requiresTraining: [String]?

    /// Whether a bundle is a teaching solution for pupils or a training module for teachers.
    public enum Kind: String, Codable, Sendable, CaseIterable { case solution, training }

    /// The packaging standard of the content, which decides how it is launched.
    public enum Standard: String, Codable, Sendable, CaseIterable {
        case html5, scorm12, scorm2004, cmi5, video, pdf
    }

    /// School levels, as the Éducation nationale names its cycles.
    public enum Level: String, Codable, Sendable, CaseIterable { case cycle1, cycle2, cycle3, cycle4, lycee }

    /// Text in French, optionally in English.
    public struct LocalizedText: Codable, Sendable, Equatable {
        public var fr: String
        public var en: String?
        public init(fr: String, en: String? = nil) {
            self.fr = fr
            self.en = en
        }
    }

    /// xAPI settings of the bundle.
    public struct XAPI: Codable, Sendable, Equatable {
        public var activityId: String?
        public init(activityId: String?) { self.activityId = activityId }
    }

    public init(
        id: String, version: String, kind: Kind, title: LocalizedText, description: LocalizedText,
        publisher: String, standard: Standard, entry: String, levels: [Level] = [], subjects: [String] = [],
        durationMinutes: Int? = nil, xapi: XAPI? = nil, requiresTraining: [String]? = nil
    ) {
        self.schema = 1
        self.id = id
        self.version = version
        self.kind = kind
        self.title = title
        self.description = description
        self.publisher = publisher
        self.standard = standard
        self.entry = entry
        self.levels = levels
        self.subjects = subjects
        self.durationMinutes = durationMinutes
        self.xapi = xapi
        self.requiresTraining = requiresTraining
    }

    /// The file name at the bundle root.
    public static let fileName = "bundle.json"

    /// Decodes and validates bundle.json, naming the field at fault.
    public static func parse(_ data: Data) throws(ManifestError) -> BundleManifest {
        let manifest: BundleManifest
        do {
            manifest = try JSONDecoder().decode(BundleManifest.self, from: data)
        } catch let error as DecodingError {
            throw ManifestError(decoding: error)
        } catch {
            throw .notJSON("\(error)")
        }
        try manifest.validate()
        return manifest
    }

    /// The JSON text, keys sorted, pretty-printed (what `relais bundle pack` writes).
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, ints and arrays cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }
}
