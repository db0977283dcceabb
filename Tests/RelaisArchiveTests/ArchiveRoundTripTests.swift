import Foundation
import RelaisArchive
import RelaisCore
import Testing

@Suite struct ArchiveRoundTripTests {
    @Test(arguments: ArchiveWriter.Format.all.map(\.0))
    func readsBackWhatTheWriterWrote(format: ArchiveWriter.Format) throws {
        let sandbox = try Sandbox()
        // Random bytes: a repeated text would trip the compression-ratio limit.
        let big = noise(count: 2_100_000)
        try Data(big).write(to: URL(fileURLWithPath: sandbox.path("big.bin")))
        let path = try sandbox.archive("a", format: format) { writer in
            try writer.addDirectory("css")
            try writer.addFile("css/site.css", contents: Array("body{}".utf8))
            try writer.addFile("run.sh", contents: Array("#!/bin/sh".utf8), mode: 0o755)
            try writer.addFile("big.bin", size: 2_100_000, from: sandbox.path("big.bin"))
            try writer.addSymlink("css/link.css", target: "site.css")
            try writer.addFile("café/élève.txt", contents: Array("ok".utf8))
        }
        let entries = try readEverything(path)
        #expect(entries.map(\.0.path.value) == ["css", "css/site.css", "run.sh", "big.bin", "css/link.css", "café/élève.txt"])
        #expect(entries[0].0.kind == .directory)
        #expect(entries[1].1 == Array("body{}".utf8))
        #expect(entries[1].0.size == 6)
        #expect(entries[2].0.permissions == 0o755)
        #expect(entries[3].1 == big)
        #expect(entries[4].0.kind == .link(to: try BundlePath("css/site.css")))
        #expect(entries[5].1 == Array("ok".utf8))
    }

    @Test func writesTheSameBytesForTheSameInput() throws {
        let sandbox = try Sandbox()
        func pack(_ name: String) throws -> Data {
            let path = try sandbox.archive(name, format: .tarGzip) { writer in
                try writer.addFile("a.txt", contents: Array("same".utf8))
            }
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let first = try pack("one.tar.gz")
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try pack("two.tar.gz") == first)
    }

    @Test func leavesNoFileWhenDiscardedOrDropped() throws {
        let sandbox = try Sandbox()
        let writer = try ArchiveWriter(path: sandbox.path("out.tar.gz"))
        try writer.addFile("a.txt", contents: [1, 2, 3])
        #expect(sandbox.listing().count == 1)  // the temporary file
        writer.discard()
        #expect(sandbox.listing().isEmpty)
        do {
            let dropped = try ArchiveWriter(path: sandbox.path("other.zip"), format: .zip)
            try dropped.addFile("b.txt", contents: [4])
        }
        #expect(sandbox.listing().isEmpty)
    }

    @Test func refusesAFileThatDoesNotHaveItsAnnouncedSizeAndWritesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.write("small.txt", "four")
        let writer = try ArchiveWriter(path: sandbox.path("out.tar.gz"))
        #expect(archiveError { try writer.addFile("small.txt", size: 10, from: sandbox.path("small.txt")) } != nil)
        #expect(archiveError { try writer.finish() } != nil)
        #expect(sandbox.listing() == ["small.txt"])
    }

    @Test func reportsCompressedBytesRead() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.archive("a.tar.gz", format: .tarGzip) { writer in
            try writer.addFile("zeros", contents: [UInt8](repeating: 0, count: 100_000))
        }
        let reader = try ArchiveReader(path: path)
        _ = try reader.nextEntry()
        _ = try reader.readAll(maxBytes: 200_000)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(reader.compressedBytesRead > 0 && reader.compressedBytesRead <= Int64(size))
        #expect(try reader.nextEntry() == nil)
    }
}

extension ArchiveRoundTripTests {
    @Test(arguments: allFormats)
    func skipsTheRootFolderEntryThatTarWritesForADot(format: ArchiveWriter.Format) throws {
        // `bsdtar -czf x.tgz -C dir .` starts with "./"; it is the bundle root, not an entry.
        let sandbox = try Sandbox()
        let path = try sandbox.archive("dot", format: format) { writer in
            try writer.addRawEntry(nameBytes: Array("./".utf8), type: .directory, mode: 0o755)
            try writer.addRawEntry(nameBytes: Array("./index.html".utf8), type: .file, mode: 0o644, contents: [1])
        }
        #expect(try readEverything(path).map(\.0.path.value) == ["index.html"])
    }

    @Test func refusesAFileNamedLikeTheRoot() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.archive("dot.tar", format: .tar) { writer in
            try writer.addRawEntry(nameBytes: Array("./".utf8), type: .file, mode: 0o644, contents: [1])
        }
        // libarchive takes a name ending in "/" for a folder, then trips on the bytes that follow.
        #expect(archiveError { _ = try readEverything(path) } != nil)
    }
}
