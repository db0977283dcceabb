import Foundation
import RelaisContent
import Testing

@Suite(.timeLimit(.minutes(1))) struct RangeServingTests {
    static let small = ContentFixture.pattern(1000)
    /// Larger than the small-file threshold used below, so it is streamed from disk.
    static let large = ContentFixture.pattern(300_000, seed: 9)
    static let configuration = ContentServer.Configuration(smallFileThreshold: 4096, streamChunkSize: 16384)
    static let files = ["small.txt": small, "large.bin": large]

    private func slice(_ bytes: [UInt8], _ first: Int, _ last: Int) -> [UInt8] { Array(bytes[first...last]) }

    @Test(arguments: ["small.txt", "large.bin"])
    func singleRangeIsPartialContent(name: String) async throws {
        try await withContentServer(files: Self.files, configuration: Self.configuration) { fixture in
            let content = fixture.contents[name]!
            let response = try await fixture.request("GET", ContentFixture.url(name), ["Range: bytes=100-199"])
            #expect(response.status == 206)
            #expect(response.reason == "Partial Content")
            #expect(response.header("Content-Range") == "bytes 100-199/\(content.count)")
            #expect(response.header("Content-Length") == "100")
            #expect(response.header("ETag") == fixture.etag(name))
            #expect(response.body == slice(content, 100, 199))
        }
    }

    @Test(arguments: ["small.txt", "large.bin"])
    func suffixRangeIsTheEndOfTheFile(name: String) async throws {
        try await withContentServer(files: Self.files, configuration: Self.configuration) { fixture in
            let content = fixture.contents[name]!
            let response = try await fixture.request("GET", ContentFixture.url(name), ["Range: bytes=-500"])
            #expect(response.status == 206)
            #expect(response.header("Content-Range") == "bytes \(content.count - 500)-\(content.count - 1)/\(content.count)")
            #expect(response.body == Array(content.suffix(500)))
        }
    }

    @Test func openRangeAndClampedEndRunToTheLastByte() async throws {
        try await withContentServer(files: Self.files, configuration: Self.configuration) { fixture in
            let open = try await fixture.request("GET", ContentFixture.url("large.bin"), ["Range: bytes=299000-"])
            #expect(open.header("Content-Range") == "bytes 299000-299999/300000")
            #expect(open.body == Array(Self.large[299_000...]))
            let clamped = try await fixture.request("GET", ContentFixture.url("small.txt"), ["Range: bytes=990-5000"])
            #expect(clamped.header("Content-Range") == "bytes 990-999/1000")
            #expect(clamped.body == Array(Self.small[990...]))
        }
    }

    @Test func rangeStartingPastTheEndIsUnsatisfiable() async throws {
        try await withContentServer(files: Self.files, configuration: Self.configuration) { fixture in
            for header in ["Range: bytes=1000-", "Range: bytes=5000-6000", "Range: bytes=-0"] {
                let response = try await fixture.request("GET", ContentFixture.url("small.txt"), [header])
                #expect(response.status == 416, "\(header)")
                #expect(response.header("Content-Range") == "bytes */1000")
                #expect(response.header("Content-Length") == "0")
                #expect(response.body.isEmpty)
            }
        }
    }

    @Test func malformedOrAbusiveRangesGetTheWholeFile() async throws {
        try await withContentServer(files: Self.files, configuration: Self.configuration) { fixture in
            let seventeen = (0..<17).map { "\($0 * 10)-\($0 * 10 + 1)" }.joined(separator: ",")
            for header in ["Range: bytes=abc", "Range: pages=1-2", "Range: bytes=5-1", "Range: bytes=0-9,5-20", "Range: bytes=\(seventeen)"] {
                let response = try await fixture.request("GET", ContentFixture.url("small.txt"), [header])
                #expect(response.status == 200, "\(header)")
                #expect(response.header("Content-Range") == nil)
                #expect(response.body == Self.small)
            }
        }
    }

    @Test(arguments: ["small.txt", "large.bin"])
    func severalRangesAreMultipartWithExactLength(name: String) async throws {
        try await withContentServer(files: Self.files, configuration: Self.configuration) { fixture in
            let content = fixture.contents[name]!
            let size = content.count
            let response = try await fixture.request("GET", ContentFixture.url(name), ["Range: bytes=500-509, 0-4, -3"])
            #expect(response.status == 206)
            let contentType = try #require(response.header("Content-Type"))
            #expect(contentType.hasPrefix("multipart/byteranges; boundary="))
            #expect(response.header("Content-Range") == nil)
            let boundary = String(contentType.dropFirst("multipart/byteranges; boundary=".count))
            let partType = name == "small.txt" ? "text/plain; charset=utf-8" : "application/octet-stream"
            var expected: [UInt8] = []
            for (index, (first, last)) in [(500, 509), (0, 4), (size - 3, size - 1)].enumerated() {
                expected += Array("\(index == 0 ? "" : "\r\n")--\(boundary)\r\nContent-Type: \(partType)\r\nContent-Range: bytes \(first)-\(last)/\(size)\r\n\r\n".utf8)
                expected += slice(content, first, last)
            }
            expected += Array("\r\n--\(boundary)--\r\n".utf8)
            #expect(response.header("Content-Length") == "\(expected.count)")
            #expect(response.body == expected)
        }
    }

    @Test func ifRangeDecidesBetweenPartAndWhole() async throws {
        try await withContentServer(files: Self.files, configuration: Self.configuration) { fixture in
            let url = ContentFixture.url("large.bin")
            let matching = try await fixture.request("GET", url, ["Range: bytes=0-9", "If-Range: \(fixture.etag("large.bin"))"])
            #expect(matching.status == 206)
            #expect(matching.body == Array(Self.large[0...9]))
            let byDate = try await fixture.request("GET", url, ["Range: bytes=0-9", "If-Range: \(ContentFixture.lastModifiedText)"])
            #expect(byDate.status == 206)
            let stale = try await fixture.request("GET", url, ["Range: bytes=0-9", "If-Range: \"0000\""])
            #expect(stale.status == 200)
            #expect(stale.body == Self.large)
        }
    }

    @Test func largeFileIsStreamedWhole() async throws {
        try await withContentServer(files: Self.files, configuration: Self.configuration) { fixture in
            let response = try await fixture.request("GET", ContentFixture.url("large.bin"))
            #expect(response.status == 200)
            #expect(response.header("Content-Length") == "300000")
            #expect(response.body == Self.large)
        }
    }
}
