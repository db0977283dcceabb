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
        let box = try options.openBox(logLevel: .info)
        var configuration = try ServerConfiguration(box: box)
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let contentPort { configuration.contentPort = contentPort }
        try await configuration.checkPortsAvailable()
        let app = try buildApplication(box: box, configuration: configuration, logger: logger)
        try await app.runService()
    }
}
