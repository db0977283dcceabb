import RelaisCore

/// Replaces the box's known names in the free text a statement carries before it leaves the box
/// (issue 9, "Pupils' data"): pupils' first names and staff names become `[prénom]`, class
/// names `[classe]`.
///
/// Looked at: `result.response` and every string inside `result.extensions`,
/// `context.extensions` and `object.definition.extensions` (the same inside a SubStatement).
/// A name matches as whole words (a word is a run of letters and digits), without regard to case
/// or accents: with "Léa" known, "LEA a répondu" becomes "[prénom] a répondu" but "Léandre"
/// stays. Multi-word names ("Anne Marie", "CM2 B") match word by word, whatever separates the
/// words. Longer names win ("Anne-Marie" before "Anne"). Names shorter than two letters are
/// ignored (they would erase ordinary words). Pure: the names are read from the box once per push.
public struct FreeTextScrubber: Sendable {
    public static let personPlaceholder = "[prénom]"
    public static let classPlaceholder = "[classe]"

    struct Name: Sendable {
        let words: [String]
        let placeholder: String
    }

    /// First folded word → the names starting with it, longest first.
    let names: [String: [Name]]

    public init(names people: [String], classes: [String] = []) {
        var index: [String: [Name]] = [:]
        for (list, placeholder) in [(classes, Self.classPlaceholder), (people, Self.personPlaceholder)] {
            for name in list {
                let words = Self.words(in: name).map(\.key)
                guard let first = words.first, words.joined().count >= 2 else { continue }
                if index[first]?.contains(where: { $0.words == words }) == true { continue }
                index[first, default: []].append(Name(words: words, placeholder: placeholder))
            }
        }
        for key in index.keys { index[key]?.sort { $0.words.count > $1.words.count } }
        names = index
    }

    public var isEmpty: Bool { names.isEmpty }

    /// The text with every known name replaced.
    public func scrub(_ text: String) -> String {
        guard !names.isEmpty else { return text }
        let tokens = Self.words(in: text)
        var out = ""
        var copied = text.startIndex
        var i = 0
        while i < tokens.count {
            var matched: Name?
            if let candidates = names[tokens[i].key] {
                for name in candidates where i + name.words.count <= tokens.count {
                    if zip(name.words, tokens[i..<(i + name.words.count)]).allSatisfy({ $0 == $1.key }) {
                        matched = name
                        break
                    }
                }
            }
            if let matched {
                let last = tokens[i + matched.words.count - 1]
                out += text[copied..<tokens[i].range.lowerBound]
                out += matched.placeholder
                copied = last.range.upperBound
                i += matched.words.count
            } else {
                i += 1
            }
        }
        out += text[copied...]
        return out
    }

    /// The statement with its free text scrubbed.
    public func scrub(statement: JSONValue) -> JSONValue {
        guard !names.isEmpty, case .object(var members) = statement else { return statement }
        if case .object(var result)? = members["result"] {
            if let response = result["response"]?.stringValue { result["response"] = .string(scrub(response)) }
            if let extensions = result["extensions"] { result["extensions"] = scrubStrings(extensions) }
            members["result"] = .object(result)
        }
        if case .object(var context)? = members["context"] {
            if let extensions = context["extensions"] { context["extensions"] = scrubStrings(extensions) }
            members["context"] = .object(context)
        }
        if case .object(var object)? = members["object"] {
            if object["objectType"]?.stringValue == "SubStatement" {
                members["object"] = scrub(statement: .object(object))
            } else if case .object(var definition)? = object["definition"], let extensions = definition["extensions"] {
                definition["extensions"] = scrubStrings(extensions)
                object["definition"] = .object(definition)
                members["object"] = .object(object)
            }
        }
        return .object(members)
    }

    /// Every string inside a JSON value scrubbed (object keys are IRIs and stay).
    func scrubStrings(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(scrub(text))
        case .array(let items): return .array(items.map(scrubStrings))
        case .object(let members): return .object(members.mapValues(scrubStrings))
        default: return value
        }
    }

    struct Word {
        let range: Range<String.Index>
        let key: String
    }

    /// Runs of letters and digits, with their folded form.
    static func words(in text: String) -> [Word] {
        var words: [Word] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let isWord = c.isLetter || c.isNumber
            if isWord, start == nil { start = index }
            if !isWord, let s = start {
                words.append(Word(range: s..<index, key: PeopleText.key(String(text[s..<index]))))
                start = nil
            }
            index = text.index(after: index)
        }
        if let s = start { words.append(Word(range: s..<text.endIndex, key: PeopleText.key(String(text[s...])))) }
        return words.filter { !$0.key.isEmpty }
    }
}
