import Foundation
import RelaisArchive
import RelaisCore
import Testing

/// What an archive may cost: entry count, total size, compression ratio. Bombs stop early.
@Suite struct ArchiveLimitTests {
    static let bombSize: Int64 = 64 << 20

    @Test(arguments: allFormats)
    func refusesMoreEntriesThanTheLimit(format: ArchiveWriter.Format) throws {
        let limits = ArchiveLimits(maxEntries: 3)
        try expectRefusal(format, .tooManyEntries(entry: "d", limit: 3), limits: limits) { writer in
            for name in ["a", "b", "c", "d"] { try writer.addFile(name, contents: [1]) }
        }
    }

    @Test(arguments: allFormats)
    func refusesMoreBytesThanTheLimitFromTheHeadersAlone(format: ArchiveWriter.Format) throws {
        let limits = ArchiveLimits(maxTotalBytes: 10_000)
        try expectRefusal(format, .tooLarge(entry: "b.bin", limit: 10_000), limits: limits) { writer in
            try writer.addFile("a.bin", contents: noise(count: 6_000))
            try writer.addFile("b.bin", contents: noise(count: 6_000, seed: 7))
        }
        // Refused on the header: not a byte of b.bin was inflated.
        let sandbox = try Sandbox()
        let path = try sandbox.archive("big", format: format) { writer in
            try writer.addFile("big.bin", contents: noise(count: 20_000))
        }
        let reader = try ArchiveReader(path: path, limits: limits)
        #expect(archiveError { _ = try reader.nextEntry() } == .tooLarge(entry: "big.bin", limit: 10_000))
        #expect(reader.uncompressedBytesRead == 0)
    }

    @Test(arguments: [ArchiveWriter.Format.tarGzip, .zip])
    func stopsACompressionBombEarly(format: ArchiveWriter.Format) throws {
        let sandbox = try Sandbox()
        let path = try sandbox.archive("bomb", format: format) { writer in
            try writer.addFile("index.html", contents: Array("<p>".utf8))
            let zeros = [UInt8](repeating: 0, count: 1 << 20)
            try writer.addFile("zeros.bin", size: Self.bombSize) { write in
                for _ in 0..<(Self.bombSize >> 20) { try zeros.withUnsafeBytes { try write($0) } }
            }
        }
        let compressed = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(Int64(compressed) * 200 < Self.bombSize, "the test archive is not a bomb")

        let reader = try ArchiveReader(path: path)
        var refusal: ArchiveError?
        do {
            while try reader.nextEntry() != nil { try reader.readData { _ in } }
        } catch let error as ArchiveError {
            refusal = error
        }
        guard case .ratioExceeded(let entry, let ratio, let limit)? = refusal else {
            Issue.record("expected a ratio refusal, got \(String(describing: refusal))")
            return
        }
        #expect(entry == "zeros.bin" && ratio > limit && limit == 200)
        // Stopped near 200 × the compressed size, far below the 64 MiB the bomb holds.
        #expect(reader.uncompressedBytesRead < Self.bombSize / 3)
        #expect(refusal?.description.contains("zeros.bin") == true)

        // Skipping the bomb's bytes costs the same inflating: refused too.
        let skipper = try ArchiveReader(path: path)
        #expect(throws: ArchiveError.self) { while try skipper.nextEntry() != nil {} }
        #expect(skipper.uncompressedBytesRead < Self.bombSize / 3)

        let before = sandbox.listing()
        #expect(throws: ArchiveError.self) {
            _ = try BundlePacker.pack(source: path, output: sandbox.path("bomb.relais"))
        }
        #expect(sandbox.listing() == before)
    }

    @Test func acceptsCompressibleContentUnderTheRatio() throws {
        let sandbox = try Sandbox()
        // Text compresses about 5:1 to 20:1: nowhere near 200:1.
        let text = Array((0..<200_000).map { "ligne \($0) du manuel de l'élève\n" }.joined().utf8)
        let path = try sandbox.archive("text.tar.gz", format: .tarGzip) { writer in
            try writer.addFile("manuel.txt", contents: text)
        }
        #expect(try readEverything(path)[0].1 == text)
    }
}
