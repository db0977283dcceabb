import Foundation
import RelaisArchive
import RelaisCore
import Testing

/// Builds a hostile archive in a fresh sandbox, reads it, and checks the refusal is exactly
/// `expected` and that nothing appeared in the sandbox or at `escape` (a path outside it that the
/// hostile entries aim at). Zips are also packed: a refused pack leaves no output file.
func expectRefusal(
    _ format: ArchiveWriter.Format, _ expected: ArchiveError, limits: ArchiveLimits = .standard,
    escape: String? = nil, zipPatch: ((inout ZipPatcher) -> Void)? = nil,
    sourceLocation: SourceLocation = #_sourceLocation, _ build: (ArchiveWriter) throws -> Void
) throws {
    let sandbox = try Sandbox()
    let name = "hostile." + (format == .zip ? "zip" : format == .tar ? "tar" : "tar.gz")
    let path = try sandbox.archive(name, format: format, build)
    if format == .zip, let zipPatch {
        var patcher = try ZipPatcher(path: path)
        zipPatch(&patcher)
        try patcher.write(to: path)
    }
    let before = sandbox.listing()
    #expect(archiveError { _ = try readEverything(path, limits: limits) } == expected, sourceLocation: sourceLocation)
    if format == .zip {
        let output = sandbox.path("out.relais")
        let error = archiveError {
            _ = try BundlePacker.pack(source: path, output: output, overrides: ManifestOverrides(), limits: limits)
        }
        #expect(error == expected, sourceLocation: sourceLocation)
    }
    #expect(sandbox.listing() == before, "the refusal wrote into the sandbox", sourceLocation: sourceLocation)
    if let escape {
        #expect(!FileManager.default.fileExists(atPath: escape), "the refusal wrote outside the sandbox", sourceLocation: sourceLocation)
    }
}

/// A path outside any sandbox that hostile entries aim at; it must never exist.
func escapeTarget() -> String {
    NSTemporaryDirectory() + "relais-escape-" + UUID().uuidString
}

/// Every format, for tests whose hostile entry each format can carry.
let allFormats: [ArchiveWriter.Format] = [.tar, .tarGzip, .zip]
/// Tar formats, for what zip cannot carry (hard links, devices through libarchive's writer).
let tarFormats: [ArchiveWriter.Format] = [.tar, .tarGzip]
