import Foundation

/// Builds the bundle.json of a publisher's package from the package's own manifest: id, title,
/// standard and entry come from it, and the publisher when the package names one (SCORM LOM
/// metadata); version 1.0.0 and the kind `solution` are defaults that `ManifestOverrides` replace.
/// The kind is never guessed from the standard: a SCORM course may be a solution for pupils as
/// well as a training module for teachers. A package that names no publisher gets an empty one,
/// which `BundlePacker` refuses unless `--publisher` gives it.
public enum DerivedManifest {
    /// Version given when the package does not say.
    public static let defaultVersion = "1.0.0"
    /// Publisher given when the package does not say: none (packing then asks for `--publisher`).
    public static let unknownPublisher = ""

    /// From imsmanifest.xml.
    public static func scorm(_ manifest: ScormManifest) throws(PackagingError) -> BundleManifest {
        guard let launch = manifest.launch else { throw .nothingToLaunch(file: ScormManifest.fileName) }
        let title = manifest.title ?? manifest.identifier
        return BundleManifest(
            id: BundleIdentifier.derive(from: manifest.identifier), version: defaultVersion, kind: .solution,
            title: .init(fr: title), description: .init(fr: ""), publisher: manifest.publisher ?? unknownPublisher,
            standard: manifest.version == .scorm12 ? .scorm12 : .scorm2004,
            entry: try entryPath(launch.url, file: ScormManifest.fileName))
    }

    /// From cmi5.xml: the first AU is the entry, the course IRI the xAPI activity id.
    public static func cmi5(_ structure: Cmi5CourseStructure) throws(PackagingError) -> BundleManifest {
        guard let au = structure.assignableUnits.first else { throw .nothingToLaunch(file: Cmi5CourseStructure.fileName) }
        let course = structure.course
        let title = course.title.preferred() ?? au.title.preferred() ?? course.id
        let description = course.description.preferred() ?? ""
        return BundleManifest(
            id: BundleIdentifier.derive(from: course.id), version: defaultVersion, kind: .solution,
            title: .init(fr: title, en: course.title.text(in: "en")),
            description: .init(fr: description, en: course.description.text(in: "en")), publisher: unknownPublisher,
            standard: .cmi5, entry: try entryPath(au.url, file: Cmi5CourseStructure.fileName),
            xapi: .init(activityId: course.id))
    }

    /// From an HTML5 package: `name` (the zip's file name without extension) gives the id, the
    /// `<title>` of the entry page (else `name`) the title.
    public static func html5(entry: BundlePath, indexBytes: [UInt8], name: String) -> BundleManifest {
        let title = htmlTitle(indexBytes) ?? name
        return BundleManifest(
            id: BundleIdentifier.derive(from: name), version: defaultVersion, kind: .solution,
            title: .init(fr: title.isEmpty ? "Sans titre" : title), description: .init(fr: ""),
            publisher: unknownPublisher, standard: .html5, entry: entry.value)
    }

    /// A launch URL turned into a path of the package: no query or fragment, percent-decoded.
    static func entryPath(_ url: String, file: String) throws(PackagingError) -> String {
        if ScormManifest.isAbsoluteURL(url) || url.hasPrefix("//") { throw .externalEntry(file: file, url: url) }
        let path = String(url.prefix { $0 != "?" && $0 != "#" })
        let decoded = path.removingPercentEncoding ?? path
        guard let bundlePath = try? BundlePath(decoded) else { throw .invalidValue(file: file, element: "launch URL", value: url) }
        return bundlePath.value
    }

    /// The text of the first `<title>` in the first 64 KiB of an HTML page, entities for the usual
    /// characters decoded; nil when there is none.
    public static func htmlTitle(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(64 << 10), as: UTF8.self)
        guard let open = head.range(of: "<title", options: .caseInsensitive),
            let openEnd = head[open.upperBound...].firstIndex(of: ">"),
            let close = head.range(of: "</title", options: .caseInsensitive, range: openEnd..<head.endIndex)
        else { return nil }
        var title = String(head[head.index(after: openEnd)..<close.lowerBound])
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", " "), ("&amp;", "&")] {
            title = title.replacingOccurrences(of: entity, with: character)
        }
        let collapsed = title.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }
}
