import RelaisCore
import Testing

/// The host a device typed, as the box's own URLs reuse it.
struct HostAuthorityTests {
    @Test func hostNamesAddressesAndPortsAreTaken() {
        #expect(HostAuthority("relais.local:8080") == HostAuthority("relais.local:8080"))
        #expect(HostAuthority("relais.local:8080")?.host == "relais.local")
        #expect(HostAuthority("relais.local:8080")?.port == 8080)
        #expect(HostAuthority("192.168.1.20")?.host == "192.168.1.20")
        #expect(HostAuthority("192.168.1.20")?.port == nil)
        #expect(HostAuthority("[fe80::1]:8080")?.host == "[fe80::1]")
        #expect(HostAuthority("[fe80::1]:8080")?.description == "[fe80::1]:8080")
        #expect(HostAuthority("localhost")?.description == "localhost")
    }

    @Test func anythingElseIsRefused() {
        for bad in ["", ":8080", "evil\"><x", "a b", "host:port", "host:0", "host:70000", "[fe80::1", "[zz::1]", "[::1]x", "user@host", "hôte.local"] {
            #expect(HostAuthority(bad) == nil, "\(bad)")
        }
    }
}
