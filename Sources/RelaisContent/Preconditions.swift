/// What the conditional headers of a GET or HEAD decide, before any Range is looked at.
enum PreconditionOutcome: Equatable, Sendable {
    /// No condition stops the request: answer normally.
    case proceed
    /// 304: the client's copy is current.
    case notModified
    /// 412: an If-Match or If-Unmodified-Since condition is false.
    case failed
}

/// RFC 9110 §13.2.2 evaluation of preconditions against this origin's validators.
///
/// The origin's entity tag is always strong and always the content hash, so a comparison is a
/// comparison of opaque tags; Last-Modified is the version's activation time.
enum Preconditions {
    /// The conditional request headers, as the origin received them (lists joined with commas).
    struct Headers: Equatable, Sendable {
        var ifMatch: String?
        var ifNoneMatch: String?
        var ifModifiedSince: String?
        var ifUnmodifiedSince: String?
    }

    /// Evaluates the preconditions in RFC 9110's order for a GET or HEAD of a representation
    /// whose strong entity tag is `"\(etag)"`.
    static func evaluate(_ headers: Headers, etag: String, lastModified: Int64) -> PreconditionOutcome {
        if let ifMatch = headers.ifMatch {
            if !matches(list: ifMatch, etag: etag, strong: true) { return .failed }
        } else if let text = headers.ifUnmodifiedSince, let date = HTTPDate.parse(text), lastModified > date {
            return .failed
        }
        if let ifNoneMatch = headers.ifNoneMatch {
            return matches(list: ifNoneMatch, etag: etag, strong: false) ? .notModified : .proceed
        }
        if let text = headers.ifModifiedSince, let date = HTTPDate.parse(text), lastModified <= date {
            return .notModified
        }
        return .proceed
    }

    /// Whether an If-Range value lets the Range apply: a strong tag equal to ours, or exactly our
    /// Last-Modified date (RFC 9110 §13.1.5). Anything else, weak tags included, means "send it all".
    static func ifRangeAllowsRange(_ value: String, etag: String, lastModified: Int64) -> Bool {
        let trimmed = Substring(value).utf8.trimmingSpaces
        if trimmed.first == UInt8(ascii: "\"") || trimmed.starts(with: "W/".utf8) {
            guard let tag = EntityTag(Substring(trimmed)) else { return false }
            return !tag.isWeak && tag.opaque == etag
        }
        return HTTPDate.parse(Substring(trimmed)) == lastModified
    }

    /// Whether an If-Match / If-None-Match list (or `*`) holds our tag. Members that are not
    /// well-formed entity tags never match, so a garbled header cannot produce a 304.
    static func matches(list: String, etag: String, strong: Bool) -> Bool {
        if Substring(list).utf8.trimmingSpaces.elementsEqual("*".utf8) { return true }
        for member in list.split(separator: ",") {
            guard let tag = EntityTag(member) else { continue }
            if tag.opaque == etag, !(strong && tag.isWeak) { return true }
        }
        return false
    }
}

/// One `entity-tag`: `W/"…"` or `"…"`.
struct EntityTag: Equatable, Sendable {
    /// Whether the tag carried the `W/` weakness prefix.
    let isWeak: Bool
    /// The characters between the quotes.
    let opaque: Substring

    /// Parses one list member, surrounding whitespace allowed; nil when it is not an entity tag.
    init?(_ text: Substring) {
        var bytes = text.utf8.trimmingSpaces
        isWeak = bytes.starts(with: "W/".utf8)
        if isWeak { bytes = bytes.dropFirst(2) }
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else { return nil }
        let inner = bytes.dropFirst().dropLast()
        // etagc excludes the quote itself, controls and space.
        guard inner.allSatisfy({ $0 == 0x21 || ($0 >= 0x23 && $0 != 0x7F) }) else { return nil }
        opaque = Substring(inner)
    }
}
