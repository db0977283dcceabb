import Foundation
import Hummingbird
import RelaisContent
import RelaisCore
import RelaisLaunch

/// Builds the portal's and the bundles' URLs with the host name the device used to reach the
/// portal, so a tablet that typed http://relais.local:8080 opens http://relais.local:20003/b/….
struct LaunchURL: Sendable {
    /// The portal as the device reached it, e.g. http://relais.local:8080.
    let portal: String
    /// The host name alone, e.g. relais.local.
    let hostname: String
    let origins: BundleOriginMap

    /// A Host that is not a host name or an address (and port) is taken as localhost.
    init(request: Request, origins: BundleOriginMap) {
        let authority = request.head.authority.flatMap(HostAuthority.init) ?? HostAuthority("localhost")!
        hostname = authority.host
        portal = "http://\(authority)"
        self.origins = origins
    }

    /// The portal's launch address of a bundle: it checks the licence, then opens the content
    /// (or explains, in French, why not).
    func launch(_ bundleID: String) -> String {
        "\(portal)/lancer/\(ContentPath.encoded([bundleID]))"
    }

    /// The bundle's own origin, e.g. http://relais.local:20003; nil while it does not listen.
    func bundleOrigin(_ bundleID: String) -> String? {
        origins.port(of: bundleID).map { "http://\(hostname):\($0)" }
    }

    /// Where a launch of this bundle runs: the portal and the bundle's own origin.
    func launchOrigins(_ bundleID: String) -> LaunchOrigins? {
        bundleOrigin(bundleID).map { LaunchOrigins(portal: portal, content: $0) }
    }

    /// The URL of a bundle's entry file on its own origin.
    func url(for manifest: BundleManifest) -> String? {
        bundleOrigin(manifest.id).map { $0 + ContentPath.file(bundleID: manifest.id, version: manifest.version, path: manifest.entry) }
    }
}
