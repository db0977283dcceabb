import Foundation

/// Derives a reverse-DNS bundle id from a package's own identifier (a SCORM manifest identifier, a
/// cmi5 course IRI, a file name), so the same package always gets the same id.
///
/// "https://w3id.org/xapi/cmi5/course/intro" → "org.w3id.xapi.cmi5.course.intro";
/// "com.scorm.golfsamples.runtime.basicruntime.12" stays; "MANIFEST-01" → "local.manifest-01".
public enum BundleIdentifier {
    /// The prefix of an id made from a bare name, which carries no domain of its own.
    public static let localPrefix = "local"

    /// A reverse-DNS id for `identifier`; always passes `BundleManifest.isReverseDNS`.
    public static func derive(from identifier: String) -> String {
        let text = identifier.trimmingCharacters(in: .whitespacesAndNewlines)
        if BundleManifest.isReverseDNS(text) { return text }
        var labels: [String]
        if let schemeEnd = text.range(of: "://") {
            // An IRI: the host reversed, then the path segments.
            let rest = text[schemeEnd.upperBound...]
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            let host = authority.split(separator: "@").last.map { $0.split(separator: ":")[0] } ?? ""
            let path = rest.dropFirst(authority.count).prefix { $0 != "?" && $0 != "#" }
            labels = host.split(separator: ".").reversed().map { label($0) }
            labels += path.split(separator: "/").map { label($0.removingPercentEncoding ?? String($0)) }
        } else if text.lowercased().hasPrefix("urn:") {
            labels = text.dropFirst(4).split(separator: ":").map { label($0) }
        } else {
            labels = text.split(separator: ".").map { label($0) }
        }
        labels = labels.filter { !$0.isEmpty }
        if labels.count < 2 { labels.insert(localPrefix, at: 0) }
        if labels.count < 2 { labels.append("package") }
        return bounded(labels)
    }

    /// One label: lower case, letters, digits, '-' and '_' kept, every other run of characters
    /// becoming one '-' (accents dropped: "Élève" → "eleve").
    static func label<S: StringProtocol>(_ text: S) -> String {
        let folded = String(text).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var out = ""
        var pendingDash = false
        for scalar in folded.unicodeScalars {
            let c = scalar.value
            if (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 45 || c == 95 {
                if pendingDash, !out.isEmpty { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    /// Joins the labels, keeping the id within the 200 bytes `isReverseDNS` allows: a long one keeps
    /// its first labels and ends with a hash of the whole, so two long ids stay distinct.
    static func bounded(_ labels: [String]) -> String {
        let joined = labels.joined(separator: ".")
        guard joined.utf8.count > 200 else { return joined }
        var hash: UInt32 = 2_166_136_261  // FNV-1a: stable across runs, unlike Hasher
        for byte in joined.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let suffix = String(hash, radix: 16)
        var kept: [String] = []
        for label in labels {
            let length = (kept + [label, suffix]).joined(separator: ".").utf8.count
            if length > 200 { break }
            kept.append(label)
        }
        if kept.isEmpty { kept = [localPrefix] }
        return (kept + [suffix]).joined(separator: ".")
    }
}
