/// Why a publisher's package (SCORM, cmi5, HTML5) could not be turned into a bundle; each message
/// names the file and says what to do.
public enum PackagingError: Error, Equatable, CustomStringConvertible {
    /// The manifest is not well-formed XML.
    case invalidXML(file: String, reason: String)
    /// A required element or attribute is missing.
    case missing(file: String, element: String)
    /// An element or attribute has a value the standard does not allow.
    case invalidValue(file: String, element: String, value: String)
    /// No item of the default organization launches a resource with an href (SCORM), no AU (cmi5).
    case nothingToLaunch(file: String)
    /// The launch URL points outside the package (an absolute URL).
    case externalEntry(file: String, url: String)
    /// None of imsmanifest.xml, cmi5.xml, index.html at the root or in a single top-level folder.
    case notAPackage(topLevel: [String])

    public var description: String {
        switch self {
        case .invalidXML(let file, let reason):
            return "\(file) is not well-formed XML (\(reason)); fix it or ask the publisher for a valid package"
        case .missing(let file, let element):
            return "\(file) has no \(element); fix the manifest or give the value with a `relais bundle pack` option"
        case .invalidValue(let file, let element, let value):
            return "\(file): \(element) « \(value) » is not allowed by the standard; fix the manifest"
        case .nothingToLaunch(let file):
            return "\(file) names nothing to launch; fix the manifest or give `--entry`"
        case .externalEntry(let file, let url):
            return "\(file) launches « \(url) », outside the package; give `--entry` with a file of the package"
        case .notAPackage(let topLevel):
            let shown = topLevel.prefix(8).joined(separator: ", ")
            return "no imsmanifest.xml (SCORM), cmi5.xml (cmi5) or index.html (HTML5) at the root of the zip (found: \(shown)); re-zip the package from inside its folder"
        }
    }
}
