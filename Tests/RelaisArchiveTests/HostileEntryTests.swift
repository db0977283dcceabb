import CArchive
import Foundation
import RelaisArchive
import RelaisCore
import Testing

/// Each hostile archive is generated here, in every format that can carry it, and must be refused
/// naming the entry, by the reader and by `bundle pack`, without writing anything.
@Suite struct HostileEntryTests {
    @Test(arguments: allFormats)
    func refusesAnAbsolutePath(format: ArchiveWriter.Format) throws {
        let escape = escapeTarget()
        try expectRefusal(format, .unsafeName(.absolute(escape)), escape: escape) { writer in
            try writer.addFile("index.html", contents: Array("<p>".utf8))
            try writer.addRawEntry(nameBytes: Array(escape.utf8), type: .file, mode: 0o644, contents: [1])
        }
    }

    @Test(arguments: allFormats)
    func refusesAParentSegment(format: ArchiveWriter.Format) throws {
        let name = "docs/../../relais-escape-\(UUID().uuidString)"
        try expectRefusal(format, .unsafeName(.parentSegment(name))) { writer in
            try writer.addFile("index.html", contents: Array("<p>".utf8))
            try writer.addRawEntry(nameBytes: Array(name.utf8), type: .file, mode: 0o644, contents: [1])
        }
    }

    @Test(arguments: allFormats)
    func refusesASymlinkEscapingTheBundle(format: ArchiveWriter.Format) throws {
        try expectRefusal(format, .linkEscapes(entry: "js/lib", target: "../../etc")) { writer in
            try writer.addFile("index.html", contents: Array("<p>".utf8))
            try writer.addRawEntry(nameBytes: Array("js/lib".utf8), type: .symlink, mode: 0o777, linkTarget: "../../etc")
        }
        try expectRefusal(format, .linkEscapes(entry: "passwd", target: "/etc/passwd")) { writer in
            try writer.addRawEntry(nameBytes: Array("passwd".utf8), type: .symlink, mode: 0o777, linkTarget: "/etc/passwd")
        }
    }

    @Test(arguments: tarFormats)
    func refusesAHardLinkEscapingTheBundle(format: ArchiveWriter.Format) throws {
        try expectRefusal(format, .linkEscapes(entry: "shadow", target: "/etc/shadow")) { writer in
            try writer.addRawEntry(nameBytes: Array("shadow".utf8), type: .hardlink, mode: 0o644, linkTarget: "/etc/shadow")
        }
        try expectRefusal(format, .linkEscapes(entry: "up", target: "../outside")) { writer in
            try writer.addRawEntry(nameBytes: Array("up".utf8), type: .hardlink, mode: 0o644, linkTarget: "../outside")
        }
        try expectRefusal(format, .hardLinkTargetMissing(entry: "copy", target: "later.txt")) { writer in
            try writer.addRawEntry(nameBytes: Array("copy".utf8), type: .hardlink, mode: 0o644, linkTarget: "later.txt")
            try writer.addFile("later.txt", contents: [1])
        }
    }

    @Test func acceptsAHardLinkToAnEarlierFile() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.archive("links.tar", format: .tar) { writer in
            try writer.addFile("a/original.txt", contents: Array("same".utf8))
            try writer.addRawEntry(nameBytes: Array("b/copy.txt".utf8), type: .hardlink, mode: 0o644, linkTarget: "a/original.txt")
        }
        let entries = try readEverything(path)
        #expect(entries[1].0.kind == .link(to: try BundlePath("a/original.txt")))
    }

    @Test(arguments: allFormats)
    func refusesADevice(format: ArchiveWriter.Format) throws {
        // libarchive writes no device into a zip; a hostile tool sets the mode in the central directory.
        let patch: (inout ZipPatcher) -> Void = { $0.setUnixMode(0o020644) }
        try expectRefusal(format, .specialFile(entry: "null", type: "character device"), zipPatch: patch) { writer in
            try writer.addRawEntry(nameBytes: Array("null".utf8), type: format == .zip ? .file : .characterDevice, mode: 0o644)
        }
        if format != .zip {
            try expectRefusal(format, .specialFile(entry: "sda", type: "block device")) { writer in
                try writer.addRawEntry(nameBytes: Array("sda".utf8), type: .blockDevice, mode: 0o644)
            }
        }
    }

    @Test(arguments: tarFormats)
    func refusesAFIFO(format: ArchiveWriter.Format) throws {
        try expectRefusal(format, .specialFile(entry: "pipe", type: "FIFO")) { writer in
            try writer.addRawEntry(nameBytes: Array("pipe".utf8), type: .fifo, mode: 0o644)
        }
    }

    @Test func readsAZipFIFOModeAsAPlainFile() throws {
        // libarchive's zip reader never yields a FIFO (some zip tools set that mode on plain files).
        let sandbox = try Sandbox()
        let path = try sandbox.archive("fifo.zip", format: .zip) { writer in
            try writer.addRawEntry(nameBytes: Array("pipe".utf8), type: .file, mode: 0o644, contents: [7])
        }
        var patcher = try ZipPatcher(path: path)
        patcher.setUnixMode(0o010644)
        try patcher.write(to: path)
        let entries = try readEverything(path)
        #expect(entries.map(\.0.kind) == [.file] && entries[0].1 == [7])
    }

    @Test func refusesASocketInAZip() throws {
        // Tar (pax) cannot hold sockets; a zip's Unix mode can say anything.
        let patch: (inout ZipPatcher) -> Void = { $0.setUnixMode(0o140644) }
        try expectRefusal(.zip, .specialFile(entry: "sock", type: "socket"), zipPatch: patch) { writer in
            try writer.addRawEntry(nameBytes: Array("sock".utf8), type: .file, mode: 0o644)
        }
    }

    @Test(arguments: allFormats)
    func refusesSetuidAndSetgidBits(format: ArchiveWriter.Format) throws {
        try expectRefusal(format, .privilegedMode(entry: "bin/run", bit: "setuid")) { writer in
            try writer.addRawEntry(nameBytes: Array("bin/run".utf8), type: .file, mode: 0o4755, contents: [1])
        }
        try expectRefusal(format, .privilegedMode(entry: "bin/run", bit: "setgid")) { writer in
            try writer.addRawEntry(nameBytes: Array("bin/run".utf8), type: .file, mode: 0o2755, contents: [1])
        }
        try expectRefusal(format, .privilegedMode(entry: "shared", bit: "setgid")) { writer in
            try writer.addRawEntry(nameBytes: Array("shared".utf8), type: .directory, mode: 0o2755)
        }
    }

    @Test(arguments: allFormats)
    func refusesADuplicateEntry(format: ArchiveWriter.Format) throws {
        try expectRefusal(format, .duplicate(entry: "index.html")) { writer in
            try writer.addFile("index.html", contents: Array("<p>good</p>".utf8))
            try writer.addFile("index.html", contents: Array("<p>evil</p>".utf8))
        }
        // The same path once normalised.
        try expectRefusal(format, .duplicate(entry: "js/app.js")) { writer in
            try writer.addFile("js/app.js", contents: [1])
            try writer.addRawEntry(nameBytes: Array("./js//app.js".utf8), type: .file, mode: 0o644, contents: [2])
        }
    }

    @Test(arguments: allFormats)
    func refusesAPathUsedAsBothFileAndFolder(format: ArchiveWriter.Format) throws {
        try expectRefusal(format, .fileUsedAsFolder(entry: "css/site.css", folder: "css")) { writer in
            try writer.addFile("css", contents: [1])
            try writer.addFile("css/site.css", contents: [2])
        }
        try expectRefusal(format, .fileUsedAsFolder(entry: "css", folder: "css")) { writer in
            try writer.addFile("css/site.css", contents: [2])
            try writer.addFile("css", contents: [1])
        }
        // A later entry reaching through a symlink could land anywhere the link points.
        try expectRefusal(format, .fileUsedAsFolder(entry: "lib/x.js", folder: "lib")) { writer in
            try writer.addFile("vendor/x.js", contents: [1])
            try writer.addSymlink("lib", target: "vendor")
            try writer.addFile("lib/x.js", contents: [2])
        }
    }

    @Test(arguments: allFormats)
    func refusesANameThatIsNotUTF8(format: ArchiveWriter.Format) throws {
        let latin1: [UInt8] = Array("élève-".utf8) + [0x63, 0x61, 0x66, 0xE9] + Array(".html".utf8)
        let shown = String(decoding: latin1, as: UTF8.self)
        try expectRefusal(format, .unsafeName(.notUTF8(shown))) { writer in
            try writer.addFile("index.html", contents: Array("<p>".utf8))
            try writer.addRawEntry(nameBytes: latin1, type: .file, mode: 0o644, contents: [1])
        }
    }

    @Test func refusesAZipNameFlaggedUTF8ThatIsNot() throws {
        // libarchive cannot decode such a name at all: the refusal places it after the last good entry.
        let latin1: [UInt8] = [0x63, 0x61, 0x66, 0xE9, 0x2E, 0x6A, 0x73]
        try expectRefusal(.zip, .undecodableName(index: 2, after: "index.html"), zipPatch: { $0.flagNamesUTF8() }) { writer in
            try writer.addFile("index.html", contents: Array("<p>".utf8))
            try writer.addRawEntry(nameBytes: latin1, type: .file, mode: 0o644, contents: [1])
        }
    }

    @Test(arguments: allFormats)
    func acceptsUTF8NamesWhateverTheThreadLocale(format: ArchiveWriter.Format) throws {
        let sandbox = try Sandbox()
        let path = try sandbox.archive("names", format: format) { writer in
            try writer.addFile("élève/château-€.html", contents: [1])
        }
        // In the "C" locale libarchive returns NULL for a zip name flagged UTF-8; the reader switches
        // this thread to a UTF-8 locale itself, so both give the same names (setlocale would be
        // process-wide, so the test sets the thread's locale only).
        for locale in [relais_new_posix_locale(), relais_new_utf8_locale()] {
            let previous = uselocale(locale)
            defer { uselocale(previous) }
            #expect(try readEverything(path).map(\.0.path.value) == ["élève/château-€.html"])
        }
    }
}
