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
        "\(portal)/lancer/\(bundleID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;?#"))) ?? bundleID)"
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
        let segments = [manifest.id, manifest.version] + manifest.entry.split(separator: "/").map(String.init)
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;?#"))
        let path = segments.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }.joined(separator: "/")
        return "\(base)/b/\(path)"
    }
}
