import ArgumentParser
import Hummingbird
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
        try await serve(box: box, configuration: configuration, logger: logger)
    }
}
