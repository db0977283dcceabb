/// The host (and port) a device used to reach the box, from a request's Host: what the box builds
/// its own URLs from (a bundle's origin, the portal's address in a cmi5 launch, a redirect).
///
/// Only a host name, an IPv4 address or a bracketed IPv6 address is taken, with an optional port:
/// a Host value is echoed into Location headers and pages, so anything else is refused (nil).
public struct HostAuthority: Equatable, Sendable, CustomStringConvertible {
    /// "relais.local", "10.0.0.2", "[::1]".
    public let host: String
    public let port: Int?

    public init?(_ authority: String) {
        var hostPart = Substring(authority)
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let end = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[...end]
            let rest = authority[authority.index(after: end)...]
            if !rest.isEmpty {
                guard rest.first == ":" else { return nil }
                portPart = rest.dropFirst()
            }
            guard hostPart.dropFirst().dropLast().allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            hostPart = parts[0]
            portPart = parts.count > 1 ? parts[1] : nil
            guard hostPart.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else { return nil }
        }
        guard !hostPart.isEmpty, hostPart.count <= 253 else { return nil }
        if let portPart {
            guard let port = Int(portPart), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            self.port = nil
        }
        self.host = String(hostPart)
    }

    /// host[:port], as it goes back into a URL.
    public var description: String { port.map { "\(host):\($0)" } ?? host }
}
