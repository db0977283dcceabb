/// The portal speaks French; English is offered second (`?lang=en`).
public enum Language: String, Sendable, CaseIterable {
    case fr, en

    /// `?lang=en` gives English; anything else, or nothing, gives French.
    public init(query: String?) {
        self = query == "en" ? .en : .fr
    }

    /// The other language, offered by the footer's switch.
    public var other: Language { self == .fr ? .en : .fr }

    /// Picks the text in this language.
    public func pick<T>(_ fr: T, _ en: T) -> T { self == .fr ? fr : en }
}

/// A text that data gives in French and maybe in English (a bundle's title, a licence note): the
/// English page falls back to French when there is no English.
public struct Bilingual: Sendable, Equatable {
    public var fr: String
    public var en: String?

    public init(fr: String, en: String? = nil) {
        self.fr = fr
        self.en = en
    }

    public func pick(_ language: Language) -> String {
        language == .en ? (en ?? fr) : fr
    }
}
