import RelaisCore

/// When a statement sent again with an id the LRS already holds is "the same" (xAPI-Communication
/// 2.1.2: a re-sent statement is a no-op, a different one a 409).
///
/// Equal ignoring the properties the LRS sets or that a client may legitimately fill in on a
/// retry: id, authority, stored, timestamp and version (issue 4). Numbers compare by value.
public enum StatementEquivalence {
    static let ignored = ["id", "authority", "stored", "timestamp", "version"]

    public static func areEquivalent(_ a: JSONValue, _ b: JSONValue) -> Bool {
        a.removing(ignored) == b.removing(ignored)
    }
}
