import Crypto
import Foundation
import RelaisCore
import RelaisRepository

/// What a publish wrote.
public struct PublishSummary: Sendable, Equatable {
    public let rootVersion: Int64
    /// Whether this publish wrote a new root (a rotation, or the old one close to expiry).
    public let rootRenewed: Bool
    public let targetsVersion: Int64
    public let snapshotVersion: Int64
    public let timestampVersion: Int64
    /// Targets listed in the new targets metadata (licence bins included).
    public let targetCount: Int
    /// Licence bins written by this publish (new or changed ones, or ones close to expiry); the
    /// others keep their published version.
    public let binsWritten: [String]
    /// Expiry of each role's metadata in force after the publish (Unix seconds).
    public let expires: [HubRole: Int64]
}

extension HubRepository {
    /// Signs the draft: new versions of targets, snapshot and timestamp (each the published one
    /// plus one), and of root only when it changed or expires before the other roles would. Files
    /// are written atomically in the order a box reads them backwards — targets, snapshot, root,
    /// then timestamp.json last — so a box fetching meanwhile sees the old or the new repository,
    /// never a timestamp naming a snapshot not yet written.
    @discardableResult
    public static func publish(repo: String, keys: String, expiries: Expiries = Expiries(), now: Int64) throws(HubError) -> PublishSummary {
        try expiries.validate()
        let (layout, lock) = try open(repo)
        defer { withExtendedLifetime(lock) {} }
        let store = try KeyStore(path: keys, repo: repo)
        return try publish(layout: layout, store: store, expiries: expiries, now: now, newRoot: nil)
    }

    /// A root to publish with the other roles (a rotation): its content and the keys that sign it.
    struct PendingRoot {
        let content: RootContent
        let signers: [SigningKey]
    }

    static func publish(layout: HubLayout, store: KeyStore, expiries: Expiries, now: Int64, newRoot: PendingRoot?) throws(HubError) -> PublishSummary {
        let state = try PublishedState.load(layout)
        let draft = try Draft.load(layout)
        try checkTargetFiles(draft, layout: layout)

        var rootBytes: [UInt8]?
        var rootInForce = state.root
        let otherExpiry = [HubRole.targets, .snapshot, .timestamp].map(expiries.seconds).max() ?? 0
        var renewal = newRoot
        if renewal == nil, state.root.header.expires < now + otherExpiry {
            // The root would expire before what it vouches for: the same root, re-signed further out.
            renewal = PendingRoot(content: try RootContent(state.rootSigned), signers: try store.signers(.root, under: state.root))
        }
        if let renewal {
            let signed = renewal.content.signed(version: state.root.version + 1, expires: now + expiries.seconds(.root))
            let bytes = try MetadataWriter.envelope(signed, signedBy: renewal.signers)
            rootInForce = try checkedRoot(bytes, previous: state.root)
            rootBytes = bytes
        }

        let targetsVersion = state.targetsVersion + 1
        let snapshotVersion = state.snapshotVersion + 1
        let timestampVersion = state.timestampVersion + 1
        var topTargets = draft.targets
        var binFiles: [(name: String, bytes: [UInt8])] = []
        var binVersions: [String: Int64] = [:]
        let bins = try LicenceBins.load(layout)
        if let bins {
            let split = bins.split(draft.targets)
            topTargets = split.top
            let signers = try store.binsSigners(keyIDs: bins.succinct.keyIDs, threshold: bins.succinct.threshold)
            for (name, targets) in split.bins.sorted(by: { $0.key < $1.key }) {
                let (version, changed) = try binVersion(name, targets: targets, state: state, layout: layout, now: now, expiries: expiries)
                binVersions[name] = version
                guard changed else { continue }
                let bytes = try MetadataWriter.envelope(
                    MetadataWriter.targets(version: version, expires: now + expiries.seconds(.targets), targets: targets), signedBy: signers)
                try bins.verify(bytes, bin: name)
                binFiles.append((name, bytes))
            }
        }
        let targetsBytes = try sign(
            MetadataWriter.targets(
                version: targetsVersion, expires: now + expiries.seconds(.targets), targets: topTargets, delegations: bins?.delegations),
            as: .targets, under: rootInForce, store: store)
        let snapshotBytes = try sign(
            MetadataWriter.snapshot(
                version: snapshotVersion, expires: now + expiries.seconds(.snapshot), targetsVersion: targetsVersion, roles: binVersions),
            as: .snapshot, under: rootInForce, store: store)
        let timestampBytes = try sign(
            MetadataWriter.timestamp(
                version: timestampVersion, expires: now + expiries.seconds(.timestamp), snapshotVersion: snapshotVersion, snapshot: snapshotBytes),
            as: .timestamp, under: rootInForce, store: store)

        // Everything but timestamp.json is written unflushed, then flushed at once (one syncfs,
        // not two fsyncs for each of up to 65,536 bins), then timestamp.json, durably: after a
        // crash, a timestamp never names files that did not reach the disk.
        for (name, bytes) in binFiles {
            try HubFiles.save(bytes, to: layout.metadataFile("\(binVersions[name] ?? 1).\(name).json"), durable: false)
        }
        try HubFiles.save(targetsBytes, to: layout.metadataFile("\(targetsVersion).targets.json"), durable: false)
        try HubFiles.save(snapshotBytes, to: layout.metadataFile("\(snapshotVersion).snapshot.json"), durable: false)
        if let rootBytes {
            try HubFiles.save(rootBytes, to: layout.metadataFile("\(rootInForce.version).root.json"), durable: false)
            try HubFiles.save(rootBytes, to: layout.metadataFile("root.json"), durable: false)
        }
        try HubFiles.flush(fileSystemOf: layout.metadata)
        try HubFiles.save(timestampBytes, to: layout.metadataFile("timestamp.json"))

        var expires: [HubRole: Int64] = [.root: rootInForce.header.expires]
        for role in [HubRole.targets, .snapshot, .timestamp] { expires[role] = now + expiries.seconds(role) }
        return PublishSummary(
            rootVersion: rootInForce.version, rootRenewed: rootBytes != nil, targetsVersion: targetsVersion, snapshotVersion: snapshotVersion,
            timestampVersion: timestampVersion, targetCount: draft.targets.count, binsWritten: binFiles.map(\.name), expires: expires)
    }

    /// The version licence bin `name` gets in this publish, and whether it must be written: the
    /// published version when its targets are unchanged and it stays valid past the new
    /// snapshot's expiry; else the published version plus one (1 for a new bin).
    static func binVersion(
        _ name: String, targets: [String: JSONValue], state: PublishedState, layout: HubLayout, now: Int64, expiries: Expiries
    ) throws(HubError) -> (Int64, Bool) {
        guard let published = state.snapshotMeta["\(name).json"] else { return (1, true) }
        let file = "\(published.version).\(name).json"
        let signed = try PublishedState.signedFile(layout, file).signed
        let expires: Int64
        do { expires = try MetadataHeader(signed, type: "targets").expires } catch { throw .corruptState("metadata/\(file): \(error.description)") }
        if signed["targets"] == .object(targets), expires > now + expiries.seconds(.snapshot) { return (published.version, false) }
        return (published.version + 1, true)
    }

    /// Signs `signed` with the role's keys and checks the result against `root` as a box would,
    /// so a repository that does not verify is never written.
    static func sign(_ signed: JSONValue, as role: HubRole, under root: RootMetadata, store: KeyStore) throws(HubError) -> [UInt8] {
        let bytes = try MetadataWriter.envelope(signed, signedBy: try store.signers(role, under: root))
        do { try root.verify(try SignedMetadata(bytes: bytes), as: role.rawValue) } catch {
            throw .corruptState("the new \(role.rawValue) metadata does not verify (\(error))")
        }
        return bytes
    }

    /// A new root must verify as the next step of the rotation chain from the previous one.
    static func checkedRoot(_ bytes: [UInt8], previous: RootMetadata) throws(HubError) -> RootMetadata {
        do {
            let metadata = try SignedMetadata(bytes: bytes)
            let next = try RootMetadata(metadata.signed)
            try previous.verify(metadata, as: "root")
            try next.verify(metadata, as: "root")
            return next
        } catch {
            throw .corruptState("the new root does not verify against the previous one (\(error)); check the root keys in KEYS")
        }
    }

    /// Every draft target's file must be in `targets/` with its recorded length.
    static func checkTargetFiles(_ draft: Draft, layout: HubLayout) throws(HubError) {
        for (path, entry) in draft.targets {
            guard let info = Draft.fileInfo(entry) else { throw .corruptState("draft entry \(path) lacks length or sha256") }
            let file = layout.targetFile(path, sha256: info.sha256)
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
            guard size == info.length else {
                throw .corruptState("\(file) is missing or has changed; run `relais repo add` again for \(path)")
            }
        }
    }
}
