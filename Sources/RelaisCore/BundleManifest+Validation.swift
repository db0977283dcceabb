import Foundation

extension BundleManifest {
    /// Checks every field's meaning (types were checked by decoding); throws naming the field.
    public func validate() throws(ManifestError) {
        guard schema == 1 else { throw .invalid(field: "schema", "must be 1, got \(schema)") }
        guard BundleManifest.isReverseDNS(id) else {
            throw .invalid(field: "id", "must be a reverse-DNS identifier such as fr.editeur.calcul-mental, got « \(id) »")
        }
        guard SemanticVersion(version) != nil else {
            throw .invalid(field: "version", "must be a semantic version such as 1.0.0, got « \(version) »")
        }
        guard !title.fr.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalid(field: "title.fr", "must not be empty: give the French title")
        }
        guard !publisher.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalid(field: "publisher", "must not be empty")
        }
        do { _ = try BundlePath(entry) } catch {
            throw .invalid(field: "entry", "must be a relative path inside the bundle: \(error)")
        }
        if let minutes = durationMinutes, !(1...600).contains(minutes) {
            throw .invalid(field: "durationMinutes", "must be between 1 and 600, got \(minutes)")
        }
        for other in requiresTraining ?? [] where !BundleManifest.isReverseDNS(other) {
            throw .invalid(field: "requiresTraining", "« \(other) » is not a bundle id")
        }
    }

    /// "fr.editeur.module": at least two dot-separated labels of letters, digits, '-' or '_'.
    public static func isReverseDNS(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, text.utf8.count <= 200 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.allSatisfy { c in
                (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 45 || c == 95
            }
        }
    }
}

/// Why bundle.json was refused; always names the field.
public enum ManifestError: Error, Equatable, CustomStringConvertible {
    case notJSON(String)
    case missing(field: String)
    case invalid(field: String, String)

    init(decoding error: DecodingError) {
        func path(_ context: DecodingError.Context, _ key: CodingKey? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let names = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = .missing(field: path(context, key))
        case .valueNotFound(_, let context):
            self = .missing(field: path(context))
        case .typeMismatch(let type, let context):
            self = .invalid(field: path(context), "must be of type \(type)")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self = .notJSON(context.debugDescription)
        case .dataCorrupted(let context):
            self = .invalid(field: path(context), "has a value that is not allowed (\(context.debugDescription))")
        @unknown default:
            self = .notJSON("\(error)")
        }
    }

    public var description: String {
        switch self {
        case .notJSON(let why):
            return "bundle.json is not valid JSON (\(why)); fix it or let `relais bundle pack` write it"
        case .missing(let field):
            return "bundle.json: field `\(field)` is missing; add it (see README, « bundle.json »)"
        case .invalid(let field, let why):
            return "bundle.json: field `\(field)` \(why)"
        }
    }
}
