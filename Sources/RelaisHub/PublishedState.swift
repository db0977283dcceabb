import RelaisCore
import RelaisRepository

/// What the repository last published, read back from `metadata/`: the root in force and the
/// versions the next publish must exceed. Read from the signed files themselves rather than
/// from a side record, so the two cannot disagree.
struct PublishedState {
    let rootSigned: JSONValue
    let root: RootMetadata
    /// 0 before the first publish.
    let targetsVersion: Int64
    let snapshotVersion: Int64
    let timestampVersion: Int64
    /// The published snapshot's `meta` (targets.json and each licence bin), empty before the first publish.
    var snapshotMeta: [String: MetaFile] = [:]

    static func load(_ layout: HubLayout) throws(HubError) -> PublishedState {
        let rootMetadata = try signedFile(layout, "root.json")
        let root: RootMetadata
        do { root = try RootMetadata(rootMetadata.signed) } catch { throw .corruptState("metadata/root.json: \(error.description)") }
        guard HubFiles.exists(layout.metadataFile("timestamp.json")) else {
            return PublishedState(rootSigned: rootMetadata.signed, root: root, targetsVersion: 0, snapshotVersion: 0, timestampVersion: 0)
        }
        do {
            let timestamp = try TimestampMetadata(try signedFile(layout, "timestamp.json").signed)
            let snapshotName = "\(timestamp.snapshot.version).snapshot.json"
            let snapshot = try SnapshotMetadata(try signedFile(layout, snapshotName).signed)
            guard let targets = snapshot.meta["targets.json"] else { throw HubError.corruptState("\(snapshotName) does not name targets.json") }
            return PublishedState(
                rootSigned: rootMetadata.signed, root: root, targetsVersion: targets.version,
                snapshotVersion: timestamp.snapshot.version, timestampVersion: timestamp.header.version, snapshotMeta: snapshot.meta)
        } catch let error as HubError {
            throw error
        } catch {
            throw .corruptState("published metadata: \(error)")
        }
    }

    static func signedFile(_ layout: HubLayout, _ name: String) throws(HubError) -> SignedMetadata {
        let path = layout.metadataFile(name)
        do { return try SignedMetadata(bytes: try HubFiles.read(path)) } catch let error as TUFError {
            throw .corruptState("metadata/\(name): \(error.description)")
        } catch {
            throw .corruptState("metadata/\(name) cannot be read")
        }
    }
}
