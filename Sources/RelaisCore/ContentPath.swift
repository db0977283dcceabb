import Foundation

/// URL paths on a content origin: `/b/{id}/{version}/{path}`, each segment percent-encoded.
public enum ContentPath {
    /// Path segments joined by `/`, each percent-encoded (a `/`, `;`, `?` or `#` inside a segment too).
    public static func encoded(_ segments: [String]) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;?#"))
        return segments.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }.joined(separator: "/")
    }

    /// `/b/{id}/{version}/{path}`; `path` is the bundle-relative file path (e.g. its entry).
    public static func file(bundleID: String, version: String, path: String) -> String {
        "/b/" + encoded([bundleID, version] + path.split(separator: "/").map(String.init))
    }
}
