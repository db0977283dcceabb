import Logging
import RelaisContent
import RelaisCore
import RelaisStore

/// Gives every bundle on the box its own origin: a port from `serve.bundlePorts`, assigned once
/// in the database and kept, and a listening socket of the content server on it.
struct BundleOriginKeeper: Sendable {
    let box: Box
    let content: ContentServer
    let ports: BundlePorts
    let logger: Logger

    /// Assigns ports to the bundles that have none and opens the origins not listening yet;
    /// returns the bundle ids whose origin now listens (in the box's order), so the caller can
    /// skip the next call until the box's bundles differ from them (one that could not listen
    /// is tried again at the next call).
    @discardableResult
    func update() async throws -> [String] {
        let ids = try box.bundleIDs()
        let wanted: [String: Int]
        switch ports {
        case .ephemeral:
            wanted = Dictionary(uniqueKeysWithValues: ids.map { ($0, 0) })
        case .range(let range):
            let assignment = try box.assignBundlePorts(ids, range: range)
            if !assignment.unassigned.isEmpty {
                logger.error(
                    "serve.bundlePorts has no port left: these bundles cannot be launched until the range is widened",
                    metadata: ["serve.bundlePorts": "\(range.lowerBound)-\(range.upperBound)", "bundles": "\(assignment.unassigned)"])
            }
            wanted = assignment.ports.filter { ids.contains($0.key) }
        }
        let listening = await content.openBundleOrigins(wanted)
        return ids.filter { listening[$0] != nil }
    }
}
