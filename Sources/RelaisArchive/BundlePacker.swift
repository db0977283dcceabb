import Foundation
import RelaisCore

/// Makes a bundle (`.relais`, a tar.gz) from a folder holding bundle.json or from a publisher's
/// SCORM 1.2, SCORM 2004, cmi5 or HTML5 zip.
///
/// The bundle holds `bundle.json` first, `SHA256SUMS` second (every content file), then the content
/// tree, sorted for a folder, in the zip's order for a zip; fixed dates and owner, so the same source
/// packs to the same bytes. The output is written to a temporary file renamed into place at the end:
/// a refused or failed pack leaves no file. A zip is read twice through `ArchiveReader` (the same
/// checks as an import) and never extracted.
public enum BundlePacker {
    /// Packs `source` into `output`; refuses naming the entry or the bundle.json field at fault.
    public static func pack(
        source: String, output: String, overrides: ManifestOverrides = ManifestOverrides(),
        limits: ArchiveLimits = .standard
    ) throws -> PackReport {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder) else {
            throw ArchiveError.cannotOpen(path: source, reason: "no such file or folder")
        }
        if isFolder.boolValue {
            return try packFolder(source, output: output, overrides: overrides, limits: limits)
        }
        return try packArchive(source, output: output, overrides: overrides, limits: limits)
    }

    /// A content file as listed in SHA256SUMS.
    struct ContentFile {
        var size: Int64
        var hash: ContentHash
    }

    /// Applies the overrides, validates the result and checks the entry is a content file.
    static func finalManifest(
        _ manifest: BundleManifest, overrides: ManifestOverrides, files: [BundlePath: ContentFile],
        links: [BundlePath: BundlePath]
    ) throws -> BundleManifest {
        let manifest = overrides.applied(to: manifest)
        do { try manifest.validate() } catch { throw PackError.manifest(error) }
        // validate() has already refused an entry that is not a BundlePath.
        let entry = try BundlePath(manifest.entry)
        guard files[entry] != nil || links[entry].map({ files[$0] != nil }) == true else {
            throw PackError.entryMissing(entry: manifest.entry)
        }
        return manifest
    }

    /// Writes bundle.json and SHA256SUMS, the two entries every bundle starts with.
    static func writeHeader(_ writer: ArchiveWriter, manifest: BundleManifest, files: [BundlePath: ContentFile]) throws {
        try writer.addFile(BundleManifest.fileName, contents: Array(manifest.encoded()))
        let digests = DigestList(entries: files.mapValues(\.hash))
        try writer.addFile(DigestList.fileName, contents: Array(digests.rendered().utf8))
    }

    /// Streams one file into the writer, hashing it again: a file that changed since the first pass
    /// is refused rather than shipped with a wrong hash.
    static func copy(
        _ path: BundlePath, expected: ContentFile, executable: Bool, into writer: ArchiveWriter,
        from produce: (_ write: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        var hasher = ContentHasher()
        try writer.addFile(path.value, size: expected.size, mode: executable ? 0o755 : 0o644) { write in
            // Neither closure outlives this call; Swift cannot see that one calls the other.
            try withoutActuallyEscaping(write) { write in
                try produce { block in
                    hasher.update(block)
                    try write(block)
                }
            }
        }
        guard hasher.finalize() == expected.hash else { throw PackError.sourceChanged(path: path.value) }
    }

    /// The report, once the writer has renamed the bundle into place.
    static func report(
        _ manifest: BundleManifest, files: [BundlePath: ContentFile], output: String, skipped: [String]
    ) -> PackReport {
        let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? NSNumber)?.int64Value ?? 0
        return PackReport(
            manifest: manifest, fileCount: files.count, contentBytes: files.values.reduce(0) { $0 + $1.size },
            archiveBytes: size, skipped: skipped)
    }

    /// A symlink target written relative to the link's folder, from its resolved path.
    static func relativeTarget(from link: BundlePath, to target: BundlePath) -> String {
        let from = link.segments.dropLast()
        let to = target.segments
        var common = 0
        while common < from.count, common < to.count - 1, from[from.startIndex + common] == to[common] { common += 1 }
        let ups = Array(repeating: "..", count: from.count - common)
        return (ups + to[common...].map(String.init)).joined(separator: "/")
    }
}
