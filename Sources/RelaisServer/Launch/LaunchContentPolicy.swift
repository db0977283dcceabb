import RelaisContent

/// What launches need from the content origin: the player page under `/_relais/`, and leave for
/// the bundles to call the portal (the local LRS, the cmi5 fetch URL) — the sandboxing policy
/// otherwise limits requests to the content origin itself.
enum LaunchContentPolicy {
    static func contentConfiguration(portalPort: Int) -> ContentServer.Configuration {
        var configuration = ContentServer.Configuration(
            contentSecurityPolicy: ContentServer.Configuration.defaultContentSecurityPolicy
                + "; connect-src 'self' data: blob: http://*:\(portalPort) https://*:\(portalPort)")
        configuration.builtinPages = PlayerPage.builtinPages(portalPort: portalPort)
        return configuration
    }
}
