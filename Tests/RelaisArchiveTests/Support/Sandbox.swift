import Foundation
import RelaisArchive
import RelaisCore

/// A temporary folder per test, removed at the end, that can list everything written inside it:
/// the tests assert a refused archive wrote nothing outside what they expect.
final class Sandbox {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "relais-archive-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// A path inside the sandbox (not created).
    func path(_ name: String) -> String { root + "/" + name }

    /// Every path under the root, relative to it, symlinks not followed.
    func listing() -> Set<String> {
        Set(FileManager.default.enumerator(atPath: root)?.allObjects.compactMap { $0 as? String } ?? [])
    }

    /// Writes an archive built by `build` into the sandbox and returns its path.
    func archive(
        _ name: String, format: ArchiveWriter.Format, _ build: (ArchiveWriter) throws -> Void
    ) throws -> String {
        let target = path(name)
        let writer = try ArchiveWriter(path: target, format: format)
        try build(writer)
        try writer.finish()
        return target
    }

    /// Creates a file with `contents`, making its folders.
    func write(_ name: String, _ contents: String) throws {
        let target = path(name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: target))
    }
}

extension ArchiveWriter.Format {
    /// The three formats, with a file extension for names.
    static let all: [(ArchiveWriter.Format, String)] = [(.tar, "tar"), (.tarGzip, "tar.gz"), (.zip, "zip")]
}

/// Reads every entry and byte of an archive; returns the entries and the bytes of each file.
func readEverything(_ path: String, limits: ArchiveLimits = .standard) throws -> [(ArchiveEntry, [UInt8])] {
    let reader = try ArchiveReader(path: path, limits: limits)
    var out: [(ArchiveEntry, [UInt8])] = []
    while let entry = try reader.nextEntry() {
        out.append((entry, try reader.readAll(maxBytes: Int.max)))
    }
    return out
}

/// The error an expression throws, as an ArchiveError (nil when it throws none or another type).
func archiveError(_ body: () throws -> Void) -> ArchiveError? {
    do {
        try body()
        return nil
    } catch let error as ArchiveError {
        return error
    } catch {
        return nil
    }
}

/// Bytes that do not compress (a fast xorshift, seeded so failures reproduce).
func noise(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    var out = [UInt8](repeating: 0, count: count)
    out.withUnsafeMutableBytes { raw in
        for offset in stride(from: 0, to: count, by: 8) {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            withUnsafeBytes(of: state) { word in
                for i in 0..<min(8, count - offset) { raw[offset + i] = word[i] }
            }
        }
    }
    return out
}
