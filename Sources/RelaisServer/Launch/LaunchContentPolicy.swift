import RelaisContent
import RelaisLaunch

/// What launches need from the content origins: the player and end pages under `/_relais/`,
/// leave for the bundles to call the portal (the local LRS, the cmi5 fetch URL) and to be framed
/// by it — the sandboxing policy otherwise keeps each bundle to its own origin.
enum LaunchContentPolicy {
    static func contentConfiguration(portalPort: Int) -> ContentServer.Configuration {
        let portal = BundlePlayer.portalAncestors(portalPort: portalPort)
        var configuration = ContentServer.Configuration(
            contentSecurityPolicy: "sandbox allow-scripts allow-same-origin allow-forms allow-pointer-lock; "
                + "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; connect-src 'self' data: blob: \(portal); "
                + "frame-ancestors 'self' \(portal)")
        configuration.builtinPages = [
            BundlePlayer.path: BuiltinPage(body: BundlePlayer.html, contentSecurityPolicy: BundlePlayer.contentSecurityPolicy(portalPort: portalPort)),
            BundlePlayer.endPath: BuiltinPage(body: BundlePlayer.endHTML, contentSecurityPolicy: BundlePlayer.endPageContentSecurityPolicy(portalPort: portalPort)),
        ]
        return configuration
    }
}
