import RelaisCore
import RelaisStore
import RelaisXAPI

/// Turns a statement body as the local LRS stored it into the bytes sent upstream.
///
/// A protocol so the push is tested with and without the box's pseudonyms; the box uses
/// `PseudonymousOutgoing`.
public protocol OutgoingStatementFilter: Sendable {
    func outgoing(_ stored: [UInt8]) throws -> [UInt8]
}

extension OutgoingStatementFilter {
    /// Fields the upstream LRS sets itself: `stored` is its own time of storage, and `authority`
    /// is whoever authenticates to it (the box); the local ones name LAN clients and credentials
    /// that mean nothing upstream and could say more than needed.
    static var localOnlyFields: [String] { ["stored", "authority"] }

    /// Removes what only the local LRS knows; byte-stable (keys sorted), so a resend after a
    /// crash is identical to the first send and the upstream LRS treats it as a no-op (Ralph: 204).
    ///
    /// Attachments whose bytes came as multipart parts (no `fileUrl`) stay on the box: the push
    /// sends JSON only, and a pupil's work or a signature over the local actor says more than the
    /// programme needs. An upstream LRS would refuse such a statement without its part (xAPI 1.0.3
    /// §2.4.11), so those attachments leave the statement; ones with a `fileUrl` are kept.
    func strippedOfLocalFields(_ statement: JSONValue) -> [UInt8] {
        var outgoing = statement.removing(Self.localOnlyFields)
        if let attachments = statement["attachments"]?.arrayValue {
            let linked = attachments.filter { $0["fileUrl"] != nil }
            outgoing = outgoing.setting("attachments", to: linked.isEmpty ? nil : .array(linked))
        }
        return outgoing.serialized()
    }
}

/// What the box sends: every identifying Agent replaced by the box's pseudonymous account
/// (product.md, "Usage statements"), the box's known names replaced in free text
/// (`FreeTextScrubber`), local-only fields removed.
public struct PseudonymousOutgoing: OutgoingStatementFilter {
    let pseudonymizer: Pseudonymizer
    let scrubber: FreeTextScrubber

    public init(pseudonymizer: Pseudonymizer, scrubber: FreeTextScrubber = FreeTextScrubber(names: [])) {
        self.pseudonymizer = pseudonymizer
        self.scrubber = scrubber
    }

    /// The box's pseudonyms: its secret (`DIR/secret.key`, made by `relais init`) and UAI; and
    /// the names the box knows now (pupils, staff, classes), read once per push.
    public init(box: Box) throws(UpstreamError) {
        let pseudonymizer: Pseudonymizer
        do {
            pseudonymizer = try box.pseudonymizer()
        } catch {
            throw .store("\(error); until then the box sends no statement (it cannot pseudonymise them)")
        }
        do {
            let names = try box.knownNames()
            self.init(pseudonymizer: pseudonymizer, scrubber: FreeTextScrubber(names: names.people, classes: names.classes))
        } catch {
            throw .store("\(error); the box sends no statement until it can read the names to remove from them")
        }
    }

    public func outgoing(_ stored: [UInt8]) throws -> [UInt8] {
        strippedOfLocalFields(scrubber.scrub(statement: pseudonymizer.pseudonymize(try JSONValue(parsing: stored))))
    }
}
