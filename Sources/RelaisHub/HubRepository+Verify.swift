import Foundation
import RelaisRepository

/// What `verify` checked.
public struct VerifyReport: Sendable {
    public let rootVersion: Int64
    public let timestampVersion: Int64
    public let snapshotVersion: Int64
    public let targetsVersion: Int64
    /// Every target path, downloaded and checked against its signed length and hashes.
    public let targets: [String]
    /// When the first of the four roles expires (Unix seconds): publish again before then.
    public let earliestExpiry: Int64
    /// Whether `add`/`remove` changed the draft since the last publish (it is not yet signed).
    public let unpublishedChanges: Bool
}

extension HubRepository {
    /// Checks REPO as a box would before it ships: the TUF client (TUFUpdater) starts from
    /// `trustedRoot` (the root the boxes were given) in a temporary metadata folder, refreshes
    /// through a FolderTransport on REPO — root rotation chain, signatures, thresholds, versions,
    /// expiry at `now`, lengths and hashes — then downloads and verifies every target, those of the
    /// licence bins included (each bin verified against the delegation, each target found through
    /// the box's own delegation search).
    public static func verify(repo: String, trustedRoot: String, now: Int64) async throws(HubError) -> VerifyReport {
        let layout = HubLayout(repo: repo)
        guard HubFiles.exists(layout.metadataFile("root.json")) else { throw .notARepository(repo) }
        let root = try HubFiles.read(trustedRoot)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("relais-verify-\(UUID().uuidString)").path
        defer { HubFiles.remove(work) }
        do {
            try TUFUpdater.initialize(metadataDirectory: work + "/metadata", trustedRoot: root)
            let updater = try TUFUpdater(metadataDirectory: work + "/metadata", transport: FolderTransport(root: repo), now: now)
            let refresh = try await updater.refresh()
            let names = try await updater.allTargetPaths()
            try HubFiles.makeFolder(work + "/targets", mode: 0o700)
            for (index, name) in names.enumerated() {
                let destination = work + "/targets/\(index)"
                try await updater.download(name, to: destination, partial: destination + ".part")
                HubFiles.remove(destination)
            }
            return VerifyReport(
                rootVersion: refresh.rootVersion, timestampVersion: refresh.timestampVersion, snapshotVersion: refresh.snapshotVersion,
                targetsVersion: refresh.targetsVersion, targets: names, earliestExpiry: refresh.earliestExpiry,
                unpublishedChanges: try draftDiffers(layout, targetsVersion: refresh.targetsVersion))
        } catch let error as HubError {
            throw error
        } catch {
            throw .verificationFailed("\(error)")
        }
    }

    /// Whether the draft is not what `N.targets.json` and the licence bins the snapshot lists signed.
    static func draftDiffers(_ layout: HubLayout, targetsVersion: Int64) throws(HubError) -> Bool {
        guard HubFiles.exists(layout.draft) else { return false }
        let signed = try PublishedState.signedFile(layout, "\(targetsVersion).targets.json").signed
        guard case .object(var published)? = signed["targets"] else { return true }
        for (file, meta) in try PublishedState.load(layout).snapshotMeta where file != "targets.json" {
            let role = String(file.dropLast(".json".count))
            guard case .object(let binTargets)? = try PublishedState.signedFile(layout, "\(meta.version).\(role).json").signed["targets"] else { return true }
            published.merge(binTargets) { first, _ in first }
        }
        return published != (try Draft.load(layout).targets)
    }
}
