import ArgumentParser
import Hummingbird
import ServiceLifecycle
import Synchronization
import RelaisServer
import RelaisStore

/// `relais serve`: the portal and the content origin, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the portal and the bundles on the school LAN.")

    @OptionGroup var options: DataOptions

    @Option(help: "Address to listen on (default: setting serve.host, 0.0.0.0).")
    var host: String?

    @Option(help: "Port of the portal (default: setting serve.port, 8080).")
    var port: Int?

    @Option(help: "Port of the content origin (default: setting serve.contentPort, 8081).")
    var contentPort: Int?

    func run() async throws {
        let logger = makeLogger(level: .info)
        // Each connection takes a descriptor; the 1024 a systemd service starts with is too few
        // for a school. Raised before the configuration, whose connection caps follow it.
        let limit = OpenFileLimit.raiseToHardLimit()
        if let failure = limit.failure {
            logger.warning(
                "cannot raise the open-file limit; serving with it as it is",
                metadata: ["nofile.soft": "\(limit.before)", "nofile.hard": "\(limit.hard)", "error": "\(failure)",
                           "hint": "set LimitNOFILE= in the systemd unit"])
        } else {
            logger.info("open-file limit", metadata: ["nofile.before": "\(limit.before)", "nofile.soft": "\(limit.after)", "nofile.hard": "\(limit.hard)"])
        }
        let box = try options.openBox(logLevel: .info)
        var configuration = try ServerConfiguration(box: box)
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let contentPort { configuration.contentPort = contentPort }
        logger.info(
            "connection limits",
            metadata: [
                "serve.maxConnections": "\(configuration.maxConnections)", "serve.maxConnectionsPerAddress": "\(configuration.maxConnectionsPerAddress)",
                "serve.idleTimeout": "\(configuration.idleTimeout)", "serve.headerTimeout": "\(configuration.headerTimeout)",
            ])
        try await configuration.checkPortsAvailable()
        // Our own group (what `app.runService()` would make), so a failing companion service can
        // ask for a graceful shutdown; serve then exits 1 and systemd's Restart=on-failure applies.
        let group = Mutex<ServiceGroup?>(nil)
        let failed = Atomic<Bool>(false)
        let app = try buildApplication(box: box, configuration: configuration, logger: logger) { _ in
            failed.store(true, ordering: .relaxed)
            if let running = group.withLock({ $0 }) { Task { await running.triggerGracefulShutdown() } }
        }
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        group.withLock { $0 = services }
        try await services.run()
        if failed.load(ordering: .relaxed) { throw ServeFailure() }
    }
}

/// A service of `relais serve` failed (its error is in the log above); serve stopped.
struct ServeFailure: Error, CustomStringConvertible {
    var description: String { "serve stopped because one of its services failed (see the log above); it is restarted by systemd's Restart=on-failure, or run it again" }
}
