/// The portal speaks French; English is offered second (`?lang=en`).
enum PortalLanguage: String, Sendable {
    case fr, en

    init(query: String?) {
        self = query == "en" ? .en : .fr
    }

    /// Picks the text in this language.
    func pick(_ fr: String, _ en: String) -> String { self == .fr ? fr : en }
}

/// Escapes text for HTML element content and attribute values.
func htmlEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}
