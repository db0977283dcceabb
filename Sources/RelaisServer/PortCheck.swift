import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why `relais serve` could not start.
public enum ServeError: Error, CustomStringConvertible {
    case portInUse(host: String, port: Int, option: String)

    public var description: String {
        switch self {
        case .portInUse(let host, let port, let option):
            return "port \(port) on \(host) is already in use (another relais serve, or another server); stop it or choose another port with \(option)"
        }
    }
}

extension ServerConfiguration {
    /// Binds and releases both ports first, so a port in use gets a message that names it
    /// instead of a bare errno from deep inside the service group.
    public func checkPortsAvailable() async throws {
        for (port, option) in [(port, "--port"), (contentPort, "--content-port")] where port != 0 {
            do {
                let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: host, port: port).get()
                try await channel.close()
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                throw ServeError.portInUse(host: host, port: port, option: option)
            }
        }
    }
}
