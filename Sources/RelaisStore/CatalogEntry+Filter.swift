import RelaisCore

extension CatalogEntry {
    /// The entry as `CatalogueFilter` sees it: its manifest, licence state and public.
    public var filterCandidate: CatalogueFilter.Candidate {
        CatalogueFilter.Candidate(manifest: manifest, licence: licence, audiences: audiences)
    }
}

extension CatalogueFilter {
    /// Whether a catalogue entry meets every criterion (licence states judged at `now`, which
    /// should be the time the entries were read at: `box.trustedNow()`).
    public func matches(_ entry: CatalogEntry) -> Bool { matches(entry.filterCandidate) }

    /// The entries that meet every criterion, in their order.
    public func apply(to entries: [CatalogEntry]) -> [CatalogEntry] { entries.filter(matches) }

    /// The form's choices for a catalogue.
    public static func options(for entries: [CatalogEntry]) -> Options { Options(entries.map(\.filterCandidate)) }
}
