/// French school levels and their cycles, read from a class name as schools write them ("CM2 B",
/// "6e A", "6ème2", "CE1-CE2", "Tle G1"): to fill in the level and cycle of classes a pupils'
/// import creates, and to suggest them in the admin's class form.
public enum SchoolLevel {
    /// Canonical level → cycle (`cycle1`…`cycle4`, `lycee`, as the schema stores it).
    public static let cycles: [String: String] = [
        "TPS": "cycle1", "PS": "cycle1", "MS": "cycle1", "GS": "cycle1",
        "CP": "cycle2", "CE1": "cycle2", "CE2": "cycle2",
        "CM1": "cycle3", "CM2": "cycle3", "6e": "cycle3",
        "5e": "cycle4", "4e": "cycle4", "3e": "cycle4",
        "2de": "lycee", "1re": "lycee", "Tle": "lycee",
    ]

    /// The level and cycle a class name starts with, nil when it names none ("Les Dauphins").
    /// A double level ("CE1-CE2") gives the first level, and its cycle only when both share it.
    public static func guess(fromClassName name: String) -> (level: String, cycle: String)? {
        let tokens = PeopleText.folded(name).split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        guard let first = tokens.first, let level = level(first) else { return nil }
        // A second level: "CE1-CE2", "GS/CP"; not a class number ("2nde 4", "6e 2").
        if tokens.count > 1, tokens[1].count >= 2, !tokens[1].allSatisfy(\.isNumber), let second = Self.level(tokens[1]),
            let a = cycles[level], let b = cycles[second], a != b
        {
            return (level + "-" + second, "")
        }
        return (level, cycles[level] ?? "")
    }

    /// The canonical level a folded token names ("cm2b" → CM2, "6eme" → 6e, "seconde" → 2de).
    static func level(_ token: String) -> String? {
        let words: [String: String] = [
            "tps": "TPS", "ps": "PS", "ms": "MS", "gs": "GS", "cp": "CP", "seconde": "2de", "premiere": "1re", "terminale": "Tle",
            "sixieme": "6e", "cinquieme": "5e", "quatrieme": "4e", "troisieme": "3e", "tle": "Tle", "term": "Tle",
        ]
        if let level = words[token] { return level }
        for prefix in ["ce1", "ce2", "cm1", "cm2", "cpa", "cpb"] where token.hasPrefix(prefix) {
            return prefix.hasPrefix("cp") ? "CP" : prefix.uppercased()
        }
        if token.hasPrefix("cp"), token.count <= 3 { return "CP" }
        // 6, 6e, 6eme, 6a, 6eme2 … ; 2de, 2nde, 1re, 1ere.
        guard let digit = token.first, let n = digit.wholeNumberValue else { return nil }
        let rest = token.dropFirst()
        if (3...6).contains(n), rest.isEmpty || rest.hasPrefix("e") || rest.allSatisfy(\.isLetter) && rest.count == 1 || rest.allSatisfy(\.isNumber) {
            return "\(n)e"
        }
        if n == 2, rest.hasPrefix("de") || rest.hasPrefix("nde") { return "2de" }
        if n == 1, rest.hasPrefix("re") || rest.hasPrefix("ere") { return "1re" }
        return nil
    }
}
