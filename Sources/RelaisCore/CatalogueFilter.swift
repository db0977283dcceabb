import Foundation

/// What a person asks of the catalogue: niveau (cycle), discipline, kind, standard, licence state,
/// public (GAR `publicCible`) and a search text; every field nil (or the text empty) means "any".
/// Pure: built from query parameters, applied to plain values (`Candidate`), time as a parameter.
///
/// Query parameters (unknown values are ignored, never an error):
/// `cycle` (`cycle1`…`cycle4`, `lycee`), `discipline` (a subject, compared without case or
/// accents), `type` (`solution` | `training`), `standard` (`html5`, `scorm12`, …), `licence`
/// (`valide` | `expire-bientot` | `non-valide`), `public` (`ELEVE`, `ENSEIGNANT`, …), `q` (text).
public struct CatalogueFilter: Sendable, Equatable {
    /// The licence states a person can ask for.
    public enum Licence: String, Sendable, CaseIterable {
        /// May be opened now (free, local, or an abonnement in force).
        case valid = "valide"
        /// In force, but the abonnement ends within `CatalogueFilter.expiringWithin`.
        case expiring = "expire-bientot"
        /// May not be opened now (no abonnement, expired, not yet valid).
        case notValid = "non-valide"
    }

    /// An abonnement that ends within this many seconds is "expiring" (30 days).
    public static let expiringWithin: Int64 = 30 * 86_400
    /// The longest search text kept (longer is cut: a search field is not a document).
    public static let maxSearchLength = 100

    public var cycle: BundleManifest.Level?
    public var discipline: String?
    public var kind: BundleManifest.Kind?
    public var standard: BundleManifest.Standard?
    public var licence: Licence?
    public var audience: PublicCible?
    /// The search text as typed (trimmed); empty for none.
    public var search: String
    /// The time licence states are judged at (Unix seconds, the box's trusted time): "expiring"
    /// matches nothing without it.
    public var now: Int64?

    public init(
        cycle: BundleManifest.Level? = nil, discipline: String? = nil, kind: BundleManifest.Kind? = nil,
        standard: BundleManifest.Standard? = nil, licence: Licence? = nil, audience: PublicCible? = nil, search: String = "",
        now: Int64? = nil
    ) {
        self.cycle = cycle
        self.discipline = discipline
        self.kind = kind
        self.standard = standard
        self.licence = licence
        self.audience = audience
        self.search = search
        self.now = now
    }

    /// The filter a query string asks for (`?cycle=cycle3&discipline=…&type=solution&standard=scorm12
    /// &licence=valide&public=ELEVE&q=fraction`); unknown values and empty ones are ignored.
    public init(query: [String: String], now: Int64? = nil) {
        func value(_ key: String) -> String? {
            guard let raw = query[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
            return raw
        }
        let discipline = value("discipline").map { String($0.prefix(Self.maxSearchLength)) }
        let search = value("q").map { String($0.prefix(Self.maxSearchLength)) } ?? ""
        self.init(
            cycle: value("cycle").flatMap { BundleManifest.Level(rawValue: $0.lowercased()) },
            discipline: discipline,
            kind: value("type").flatMap { BundleManifest.Kind(rawValue: $0.lowercased()) },
            standard: value("standard").flatMap { BundleManifest.Standard(rawValue: $0.lowercased()) },
            licence: value("licence").flatMap { Licence(rawValue: $0.lowercased()) },
            audience: value("public").flatMap { PublicCible(rawValue: $0.uppercased()) },
            search: search, now: now)
    }

    /// The query parameters that give this filter back (only the fields set), in a stable order.
    public var queryItems: [(name: String, value: String)] {
        var items: [(String, String)] = []
        if let cycle { items.append(("cycle", cycle.rawValue)) }
        if let discipline { items.append(("discipline", discipline)) }
        if let kind { items.append(("type", kind.rawValue)) }
        if let standard { items.append(("standard", standard.rawValue)) }
        if let licence { items.append(("licence", licence.rawValue)) }
        if let audience { items.append(("public", audience.rawValue)) }
        if !search.isEmpty { items.append(("q", search)) }
        return items
    }

    /// Whether any criterion is set (the page then offers to clear them).
    public var isActive: Bool { !queryItems.isEmpty }

    /// Whether a bundle meets every criterion.
    public func matches(_ candidate: Candidate) -> Bool {
        if let cycle, !candidate.levels.contains(cycle) { return false }
        if let discipline {
            let wanted = Self.folded(discipline)
            if !candidate.subjects.contains(where: { Self.folded($0) == wanted }) { return false }
        }
        if let kind, candidate.kind != kind { return false }
        if let standard, candidate.standard != standard { return false }
        if let audience, !candidate.audiences.contains(audience) { return false }
        if let licence, !Self.licence(candidate.licence, is: licence, now: now) { return false }
        if !search.isEmpty {
            let haystack = Self.folded(candidate.searchableText)
            // Every word must appear (« fractions cm2 » finds a title with both, in any order).
            let words = Self.folded(search).split(whereSeparator: { $0.isWhitespace || $0.isPunctuation })
            if !words.allSatisfy({ haystack.contains($0) }) { return false }
        }
        return true
    }

    /// The candidates that meet every criterion, in their order.
    public func apply(to candidates: [Candidate]) -> [Candidate] { candidates.filter(matches) }

    /// Whether a licence state is the one asked for, at `now`.
    static func licence(_ state: LicenceState, is wanted: Licence, now: Int64?) -> Bool {
        switch wanted {
        case .valid: return state.allowsLaunch
        case .notValid: return !state.allowsLaunch
        case .expiring:
            guard case .active(let until, _) = state, let now else { return false }
            return until - now <= expiringWithin
        }
    }

    /// Lowercase, accents and ligatures folded, as French search expects (« Écrire » = « ecrire »,
    /// « cœur » = « coeur »).
    public static func folded(_ text: String) -> String {
        PeopleText.folded(text)
    }
}

extension CatalogueFilter {
    /// A bundle as the filter sees it: plain values from its manifest, licence state and public.
    public struct Candidate: Sendable, Equatable {
        public var id: String
        public var titles: [String]
        public var descriptions: [String]
        public var publisher: String
        public var kind: BundleManifest.Kind
        public var standard: BundleManifest.Standard
        public var levels: [BundleManifest.Level]
        public var subjects: [String]
        public var licence: LicenceState
        public var audiences: Set<PublicCible>

        public init(
            id: String, titles: [String], descriptions: [String], publisher: String, kind: BundleManifest.Kind,
            standard: BundleManifest.Standard, levels: [BundleManifest.Level], subjects: [String], licence: LicenceState,
            audiences: Set<PublicCible>
        ) {
            self.id = id
            self.titles = titles
            self.descriptions = descriptions
            self.publisher = publisher
            self.kind = kind
            self.standard = standard
            self.levels = levels
            self.subjects = subjects
            self.licence = licence
            self.audiences = audiences
        }

        /// A bundle's manifest with its licence state and public (`CatalogEntry` gives both).
        public init(manifest: BundleManifest, licence: LicenceState, audiences: Set<PublicCible>) {
            self.init(
                id: manifest.id, titles: [manifest.title.fr] + (manifest.title.en.map { [$0] } ?? []),
                descriptions: [manifest.description.fr] + (manifest.description.en.map { [$0] } ?? []),
                publisher: manifest.publisher, kind: manifest.kind, standard: manifest.standard, levels: manifest.levels,
                subjects: manifest.subjects, licence: licence, audiences: audiences)
        }

        /// Title, description and publisher, in every language given: what the search text reads.
        var searchableText: String {
            (titles + descriptions + [publisher]).joined(separator: "\n")
        }
    }

    /// The choices the filter form offers: what the catalogue holds, in a stable order.
    public struct Options: Sendable, Equatable {
        public var cycles: [BundleManifest.Level]
        /// Subjects as first written, one per folded spelling, sorted the French way.
        public var disciplines: [String]
        public var kinds: [BundleManifest.Kind]
        public var standards: [BundleManifest.Standard]
        public var licences: [Licence]
        public var audiences: [PublicCible]

        public init(
            cycles: [BundleManifest.Level], disciplines: [String], kinds: [BundleManifest.Kind], standards: [BundleManifest.Standard],
            licences: [Licence] = Licence.allCases, audiences: [PublicCible] = PublicCible.allCases
        ) {
            self.cycles = cycles
            self.disciplines = disciplines
            self.kinds = kinds
            self.standards = standards
            self.licences = licences
            self.audiences = audiences
        }

        /// The choices of a catalogue: only the cycles, subjects, kinds and standards some bundle has
        /// (and always both kinds, so « Solutions » / « Modules de formation » keep their place).
        public init(_ candidates: [Candidate]) {
            let levels = Set(candidates.flatMap(\.levels))
            var seen: Set<String> = []
            var subjects: [String] = []
            for subject in candidates.flatMap(\.subjects) {
                let trimmed = subject.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty, seen.insert(CatalogueFilter.folded(trimmed)).inserted else { continue }
                subjects.append(trimmed)
            }
            let standards = Set(candidates.map(\.standard))
            self.init(
                cycles: BundleManifest.Level.allCases.filter(levels.contains),
                disciplines: subjects.sorted { $0.compare($1, options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR")) == .orderedAscending },
                kinds: BundleManifest.Kind.allCases,
                standards: BundleManifest.Standard.allCases.filter(standards.contains))
        }
    }

    /// The form's choices for a catalogue (the same as `Options(candidates)`).
    public static func options(for candidates: [Candidate]) -> Options { Options(candidates) }
}
