import RelaisCore

/// Remembers how recent request-targets were classified, with the media type of the file.
///
/// Classifying a URL (percent-decoding, `BundlePath` validation, media type lookup) was about a
/// fifth of the CPU time of a cached 4 KiB answer, and a class of thirty tablets asks for the
/// same few URLs over and over. The result is a pure function of the URL, so it can be reused
/// as long as it is remembered; the catalog lookup itself is never memoised, since a newly
/// activated version must be seen at once. One memo per event loop, touched only from it.
final class RequestTargetMemo {
    /// A classified target and, for a file, its Content-Type.
    struct Entry {
        /// Where the URL points.
        let target: ContentRequestTarget
        /// The media type of the file it names ("" when it names none).
        let contentType: String
    }

    /// How many URLs are remembered before the memo starts over.
    let capacity: Int
    private var entries: [String: Entry] = [:]

    /// An empty memo remembering up to `capacity` URLs.
    init(capacity: Int = 2048) {
        self.capacity = capacity
    }

    /// How many URLs are remembered now.
    var count: Int { entries.count }

    /// The classification of `uri`, computed on first sight. The query does not change it, so
    /// the path alone is remembered: cache-busting queries (`?v=…`, a player's parameters) do
    /// not fill the memo with copies of one file.
    func resolve(_ uri: String) -> Entry {
        let key = uri.utf8.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }).map { String(uri[..<$0]) } ?? uri
        if let known = entries[key] { return known }
        let target = ContentRequestTarget(uri: key)
        let contentType: String
        if case .file(_, _, let path) = target {
            contentType = MediaType.forPath(path)
        } else {
            contentType = ""
        }
        let entry = Entry(target: target, contentType: contentType)
        // Starting over rather than evicting one by one keeps this trivially bounded; a
        // scanner walking random URLs only costs the classification it would cost anyway.
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        if key.utf8.count <= 512 { entries[key] = entry }
        return entry
    }
}
