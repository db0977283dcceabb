import Foundation
import Logging
import NIOCore
import NIOPosix
import RelaisContent
import RelaisCore
import Testing

/// A catalog over a fixed dictionary, as the store's snapshot would be.
struct TestCatalog: ContentCatalog {
    var files: [String: ContentFile]

    func lookup(bundleID: String, version: String, path: BundlePath) -> ContentFile? {
        files["\(bundleID)/\(version)/\(path.value)"]
    }
}

/// Files written to a temporary folder and a running content server that serves them under
/// `/b/fr.test.demo/1.0.0/…`.
struct ContentFixture {
    static let bundleID = "fr.test.demo"
    static let version = "1.0.0"
    /// Sun, 06 Nov 1994 08:49:37 GMT, the RFC's own example date.
    static let lastModified: Int64 = 784_111_777
    static let lastModifiedText = "Sun, 06 Nov 1994 08:49:37 GMT"

    let directory: URL
    /// The server, to open more bundle origins.
    let server: ContentServer
    /// The port of the bundle's own origin, where its files are served.
    let port: Int
    /// The shared port (built-in pages, redirects to the bundle's origin).
    let sharedPort: Int
    let files: [String: ContentFile]
    let contents: [String: [UInt8]]

    /// The URL path of a bundle file.
    static func url(_ path: String) -> String { "/b/\(bundleID)/\(version)/\(path)" }

    /// The ETag header value of a bundle file.
    func etag(_ path: String) -> String { "\"\(files[path]!.hash.hex)\"" }

    /// Sends raw request bytes and parses the answers.
    func exchange(_ request: String, bodiless: [Bool] = []) async throws -> [RawResponse] {
        try RawResponse.parseAll(try await RawHTTPClient.exchange(port: port, request), bodiless: bodiless)
    }

    /// One request with the given method, path and extra header lines; the connection closes after.
    func request(_ method: String = "GET", _ target: String, _ headers: [String] = []) async throws -> RawResponse {
        let lines = (["\(method) \(target) HTTP/1.1", "Host: test", "Connection: close"] + headers).joined(separator: "\r\n")
        let raw = try await RawHTTPClient.exchange(port: port, lines + "\r\n\r\n")
        return try RawResponse.parseOne(raw, bodiless: method == "HEAD")
    }

    /// A content hash standing in for the SHA-256 (the origin only uses it as a name).
    static func fakeHash(_ bytes: [UInt8]) -> ContentHash {
        var hex = ""
        for seed in 0..<4 as Range<UInt64> {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 &+ seed
            for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            h ^= UInt64(bytes.count)
            hex += String(repeating: "0", count: 16 - String(h, radix: 16).count) + String(h, radix: 16)
        }
        return ContentHash(hex: hex)!
    }

    /// Bytes that are not all alike, so a wrong offset shows.
    static func pattern(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8 &+ Int(seed)) }
    }
}

/// A logger that says nothing, so test output stays readable.
let quietLogger = Logger(label: "relais.content.tests") { _ in SwiftLogNoOpLogHandler() }

/// Blobs written to a temporary folder and the catalog that points at them.
struct PreparedBundle {
    let directory: URL
    let catalog: TestCatalog
    let files: [String: ContentFile]

    /// Writes one blob per file (bundle path → bytes); `remove()` deletes them.
    init(files contents: [String: [UInt8]]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("relais-content-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var catalog: [String: ContentFile] = [:]
        var byPath: [String: ContentFile] = [:]
        for (index, (path, bytes)) in contents.enumerated() {
            let blob = directory.appendingPathComponent("blob-\(index)")
            try Data(bytes).write(to: blob)
            let file = ContentFile(
                hash: ContentFixture.fakeHash(bytes), size: Int64(bytes.count),
                blobPath: blob.path, lastModified: ContentFixture.lastModified
            )
            catalog["\(ContentFixture.bundleID)/\(ContentFixture.version)/\(path)"] = file
            byPath[path] = file
        }
        self.catalog = TestCatalog(files: catalog)
        self.files = byPath
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Writes `files` (bundle path → bytes), serves them on 127.0.0.1 port 0 while `body` runs, then
/// cancels the server and removes the folder.
func withContentServer<T: Sendable>(
    files: [String: [UInt8]],
    configuration: ContentServer.Configuration = .init(),
    extraCatalog: [String: ContentFile] = [:],
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    _ body: (ContentFixture) async throws -> T
) async throws -> T {
    let bundle = try PreparedBundle(files: files)
    defer { bundle.remove() }
    var catalog = bundle.catalog
    catalog.files.merge(extraCatalog) { _, new in new }
    let server = ContentServer(host: "127.0.0.1", port: 0, catalog: catalog, configuration: configuration, group: group, logger: quietLogger)
    let sharedPort = try await server.start()
    let origins = await server.openBundleOrigins([ContentFixture.bundleID: 0])
    let port = try #require(origins[ContentFixture.bundleID])
    let fixture = ContentFixture(directory: bundle.directory, server: server, port: port, sharedPort: sharedPort, files: bundle.files, contents: files)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        defer { group.cancelAll() }
        return try await body(fixture)
    }
}
