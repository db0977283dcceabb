#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One address of one of the machine's network interfaces (`getifaddrs`).
public struct HostAddress: Codable, Sendable, Equatable {
    /// The interface's name (`eth0`, `wlan0`…).
    public let interface: String
    /// `ipv4` or `ipv6`.
    public let family: String
    /// The address in its numeric form (`192.168.1.20`, `2001:db8::20`).
    public let address: String
    /// An IPv6 link-local address (fe80::/10): a browser cannot use it without a zone, so no URL is built for it.
    public let linkLocal: Bool

    public init(interface: String, family: String, address: String, linkLocal: Bool) {
        self.interface = interface
        self.family = family
        self.address = address
        self.linkLocal = linkLocal
    }

    /// `http://ADDRESS:PORT/` (IPv6 in brackets; no port when it is 80).
    public func url(port: Int) -> String {
        let host = family == "ipv6" ? "[\(address)]" : address
        return port == 80 ? "http://\(host)/" : "http://\(host):\(port)/"
    }

    /// The non-loopback addresses of the interfaces that are up, IPv4 first, in interface order.
    public static func current() -> [HostAddress] {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0, let list = first else { return [] }
        defer { freeifaddrs(list) }
        var found: [HostAddress] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = list
        while let entry = cursor?.pointee {
            defer { cursor = entry.ifa_next }
            let flags = Int32(bitPattern: entry.ifa_flags)
            guard let socketAddress = entry.ifa_addr, flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0 else { continue }
            let family = Int32(socketAddress.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(socketAddress, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            var text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // getnameinfo appends the zone to a link-local address (`fe80::1%eth0`).
            if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }
            let name = String(cString: entry.ifa_name)
            let linkLocal = family == AF_INET6 && text.lowercased().hasPrefix("fe8")
            found.append(HostAddress(interface: name, family: family == AF_INET ? "ipv4" : "ipv6", address: text, linkLocal: linkLocal))
        }
        return found.filter { $0.family == "ipv4" } + found.filter { $0.family == "ipv6" }
    }
}
