import Foundation
import Hummingbird
import RelaisCore

/// Builds content-origin URLs with the host name the device used to reach the portal, so a tablet
/// that typed http://relais.local:8080 opens http://relais.local:8081/b/….
struct LaunchURL: Sendable {
    /// The content origin, e.g. http://relais.local:8081.
    let base: String
    /// The portal as the device reached it, e.g. http://relais.local:8080.
    let portal: String

    init(request: Request, contentPort: Int) {
        let authority = request.head.authority ?? "localhost"
        base = "http://\(LaunchURL.hostname(of: authority)):\(contentPort)"
        portal = "http://\(authority)"
    }

    /// The portal's launch address of a bundle: it checks the licence, then redirects to the
    /// content (or explains, in French, why not).
    func launch(_ bundleID: String) -> String {
        "\(portal)/lancer/\(LaunchURL.encodedPath([bundleID]))"
    }

    /// Path segments joined by `/`, each percent-encoded (a `/`, `;`, `?` or `#` inside a segment too).
    static func encodedPath(_ segments: [String]) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;?#"))
        return segments.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }.joined(separator: "/")
    }

    /// `/b/{id}/{version}/{path}` on the content origin; `path` defaults to the bundle's entry.
    static func contentPath(bundleID: String, version: String, path: String) -> String {
        "/b/" + encodedPath([bundleID, version] + path.split(separator: "/").map(String.init))
    }

    /// "relais.local:8080" → "relais.local"; "[::1]:8080" → "[::1]".
    static func hostname(of authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[...end])
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "localhost")
    }

    /// The URL of a bundle's entry file.
    func url(for manifest: BundleManifest) -> String {
        base + LaunchURL.contentPath(bundleID: manifest.id, version: manifest.version, path: manifest.entry)
    }
}
