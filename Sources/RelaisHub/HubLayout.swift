import Foundation

/// Where things are in REPO.
///
/// - `metadata/`: `N.root.json` for every root version (kept forever, so a box holding any old
///   root can walk the rotation chain), `root.json` (a copy of the newest), `N.targets.json`,
///   `N.snapshot.json` and `timestamp.json`.
/// - `targets/`: every target under its consistent-snapshot name `DIR/HASH.NAME` (HASH the
///   SHA-256 of the bytes), for target paths `bundles/ID/VERSION.relais` and `licences/UAI.json`.
/// - `.relais-hub/`: the hub's unsigned working state, never read by a box: `draft.json` (the
///   target list the next publish signs, as `{"targets": {PATH: {length, hashes, custom}}}`),
///   `lock` (one command at a time) and `tmp/` (copies being checked by `add`). Copying REPO to
///   a stick may include it; it holds no secret. With `init --licence-bins`, also `bins.json`
///   (number of bins, public keys), and `metadata/` holds `N.licences-HEX.json` for each bin.
struct HubLayout {
    let repo: String

    var metadata: String { join(repo, "metadata") }
    var targets: String { join(repo, "targets") }
    var state: String { join(repo, ".relais-hub") }
    var draft: String { join(state, "draft.json") }
    var lock: String { join(state, "lock") }
    /// The licence hash bins' settings and public keys (only with `init --licence-bins`).
    var bins: String { join(state, "bins.json") }
    var staging: String { join(state, "tmp") }

    func metadataFile(_ name: String) -> String { join(metadata, name) }

    /// The file of target `path` with SHA-256 `hash`: `targets/DIR/HASH.NAME`.
    func targetFile(_ path: String, sha256 hash: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        return join(join(targets, folder), "\(hash).\(name)")
    }

    private func join(_ a: String, _ b: String) -> String { (a as NSString).appendingPathComponent(b) }
}
