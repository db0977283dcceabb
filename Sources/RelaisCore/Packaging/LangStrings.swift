/// Texts in several languages, as cmi5 writes them (`<langstring lang="fr-FR">…</langstring>`).
public struct LangStrings: Sendable, Equatable {
    /// One text and its language tag ("" when the file gives none).
    public struct Text: Sendable, Equatable {
        /// The language tag, e.g. "fr-FR".
        public var lang: String
        /// The text, white space collapsed.
        public var value: String
        /// Makes a text.
        public init(lang: String, value: String) {
            self.lang = lang
            self.value = value
        }
    }

    /// The texts, in document order.
    public var texts: [Text]

    /// Makes a set of texts.
    public init(_ texts: [Text] = []) { self.texts = texts }

    /// Reads the `<langstring>` children of an element (nil element: no text); white space inside
    /// a text is collapsed, as manifests are indented.
    init(_ element: XMLTree.Element?) {
        texts = (element?.children("langstring") ?? []).compactMap { langstring in
            let value = langstring.trimmedText
            return value.isEmpty ? nil : Text(lang: langstring.attribute("lang") ?? "", value: value)
        }
        if texts.isEmpty, let plain = element?.trimmedText, !plain.isEmpty {
            // Some tools write the text directly inside <title>.
            texts = [Text(lang: "", value: plain)]
        }
    }

    /// The text in the first of `languages` present (by primary tag: "fr" matches "fr-FR"), else
    /// the first text; nil when there is none.
    public func preferred(_ languages: [String] = ["fr", "en"]) -> String? {
        for language in languages {
            if let match = text(in: language) { return match }
        }
        return texts.first?.value
    }

    /// The text in `language` exactly by primary tag, nil otherwise (no fallback).
    public func text(in language: String) -> String? {
        let wanted = language.lowercased()
        return texts.first { $0.lang.lowercased() == wanted || $0.lang.lowercased().hasPrefix(wanted + "-") }?.value
    }
}
