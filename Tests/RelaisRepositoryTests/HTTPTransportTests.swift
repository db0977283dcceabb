import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RelaisRepository
import Testing

/// HTTPTransport against a real server on 127.0.0.1: missing files, the length bound, resuming
/// with Range, and a dead address failing fast.
struct HTTPTransportTests {
    final class Collect: TargetSink {
        var bytes: [UInt8] = []
        var restarts = 0
        func restart() {
            bytes.removeAll()
            restarts += 1
        }
        func write(_ chunk: UnsafeRawBufferPointer) { bytes.append(contentsOf: chunk) }
    }

    let bundle = Array((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })

    @Test func fetchesRefusesAndResumesOverHTTP() async throws {
        let server = try await RangeServer(files: [
            "/metadata/timestamp.json": Array("{\"signed\":{}}".utf8),
            "/targets/bundles/a%20b/HASH.x.relais": bundle,
            "/plain/x.relais": bundle,
        ])
        let transport = HTTPTransport(metadataURL: server.baseURL + "/metadata/", targetsURL: server.baseURL + "/targets")

        #expect(try await transport.metadata("timestamp.json", maxLength: 100) == Array("{\"signed\":{}}".utf8))
        await #expect { try await transport.metadata("2.root.json", maxLength: 100) } throws: { error in
            if case .notFound("2.root.json")? = error as? TransportError { return true }
            return false
        }
        await #expect { try await transport.metadata("timestamp.json", maxLength: 5) } throws: { error in
            if case .tooLarge("timestamp.json", 5)? = error as? TransportError { return true }
            return false
        }

        let whole = Collect()
        try await transport.target("bundles/a b/HASH.x.relais", from: 0, maxLength: Int64(bundle.count), into: whole)
        #expect(whole.bytes == bundle)

        let rest = Collect()
        rest.bytes = Array(bundle[0..<120_000])
        try await transport.target("bundles/a b/HASH.x.relais", from: 120_000, maxLength: Int64(bundle.count), into: rest)
        #expect(rest.bytes == bundle)
        #expect(rest.restarts == 0)

        // A server ignoring Range answers 200: the sink starts over and gets the whole body.
        let plain = HTTPTransport(metadataURL: server.baseURL, targetsURL: server.baseURL + "/plain")
        let restarted = Collect()
        restarted.bytes = Array(bundle[0..<120_000])
        try await plain.target("x.relais", from: 120_000, maxLength: Int64(bundle.count), into: restarted)
        #expect(restarted.bytes == bundle)
        #expect(restarted.restarts == 1)

        await #expect { try await transport.target("bundles/a b/HASH.x.relais", from: 0, maxLength: 1_000, into: Collect()) } throws: { error in
            if case .tooLarge(_, 1_000)? = error as? TransportError { return true }
            return false
        }
        try await server.stop()
    }

    @Test func aDeadServerIsUnreachableWithinSeconds() async throws {
        // A port bound but not listening refuses connections, and stays ours for the whole test:
        // a stopped server's port could be taken by another test's server running in parallel.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        #expect(bound)
        let url = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
        let transport = HTTPTransport(metadataURL: url, targetsURL: url, timeouts: .init(connect: .seconds(2), read: .seconds(2)))
        let start = ContinuousClock.now
        await #expect { try await transport.metadata("timestamp.json", maxLength: 100) } throws: { error in
            if case .unreachable? = error as? TransportError { return true }
            return false
        }
        // Fails, and does not hang: alone it takes about 2 s; with the whole suite running in
        // parallel on two cores it was seen at 19 s, so the bound is generous (no speed claim here).
        #expect(ContinuousClock.now - start < .seconds(45))
    }
}
