import RelaisCore

/// The target list the next publish signs (`.relais-hub/draft.json`): each target path with the
/// `{length, hashes, custom}` object it will have in targets metadata. `add` and `remove` edit
/// it; publishing does not change it, so the next publish starts from what was signed.
struct Draft {
    var targets: [String: JSONValue]

    static func load(_ layout: HubLayout) throws(HubError) -> Draft {
        let json: JSONValue
        do { json = try JSONValue(parsing: try HubFiles.read(layout.draft), numbers: .integersOnly) } catch {
            throw .corruptState("\(layout.draft) is not valid JSON")
        }
        guard case .object(let targets)? = json["targets"] else { throw .corruptState("\(layout.draft) has no targets object") }
        return Draft(targets: targets)
    }

    func save(_ layout: HubLayout) throws(HubError) {
        try HubFiles.save(JSONValue.object(["targets": .object(targets)]).canonicalBytes(), to: layout.draft)
    }

    /// A target's length and SHA-256, as `add` recorded them.
    static func fileInfo(_ entry: JSONValue) -> (length: Int64, sha256: String)? {
        guard case .integer(let length)? = entry["length"], case .string(let hash)? = entry["hashes"]?["sha256"] else { return nil }
        return (length, hash)
    }
}
