import Foundation
import RelaisCore

extension BundlePacker {
    /// What the first pass over a zip learns.
    struct ArchiveScan {
        /// Entries in archive order, litter left out.
        var entries: [ArchiveEntry] = []
        /// Size and hash of each file, by archive path.
        var files: [BundlePath: ContentFile] = [:]
        /// Bytes of the files that may be the package manifest (see `isCandidate`).
        var candidates: [BundlePath: [UInt8]] = [:]
        var skipped: [String] = []
    }

    /// Manifests and index pages are read whole during the hashing pass; larger ones are truncated
    /// (and then fail to parse, naming the file).
    static let candidateLimit = 16 << 20

    /// Packs a zip (or any archive `ArchiveReader` reads) in two streaming passes: find the package
    /// manifest and hash every file, then write bundle.json, SHA256SUMS and the content.
    static func packArchive(
        _ source: String, output: String, overrides: ManifestOverrides, limits: ArchiveLimits
    ) throws -> PackReport {
        let scan = try scanArchive(source, limits: limits)
        let detection: PackageDetector.Detection
        do { detection = try PackageDetector.detect(files: scan.entries.filter { $0.kind != .directory }.map(\.path)) } catch {
            throw PackError.packaging(error)
        }
        let placement = try PackPlacement(scan: scan, detection: detection)
        let derived = try derivedManifest(scan: scan, detection: detection, source: source)
        let manifest = try finalManifest(derived, overrides: overrides, files: placement.files, links: placement.links)

        let writer = try ArchiveWriter(path: output, format: .tarGzip)
        do {
            try writeHeader(writer, manifest: manifest, files: placement.files)
            let reader = try ArchiveReader(path: source, limits: limits)
            var index = 0
            while let entry = try reader.nextEntry() {
                if PackageDetector.isLitter(entry.path) { continue }
                // The second pass must see what the first saw.
                guard index < scan.entries.count, scan.entries[index] == entry else {
                    throw PackError.sourceChanged(path: entry.path.value)
                }
                index += 1
                guard let path = placement.paths[entry.path] else { continue }
                switch entry.kind {
                case .directory:
                    try writer.addDirectory(path.value)
                case .link:
                    guard let bundleTarget = placement.links[path] else { continue }
                    try writer.addSymlink(path.value, target: relativeTarget(from: path, to: bundleTarget))
                case .file:
                    guard let expected = placement.files[path] else { continue }
                    try copy(path, expected: expected, executable: entry.permissions & 0o111 != 0, into: writer) { write in
                        try reader.readData(write)
                    }
                }
            }
            guard index == scan.entries.count else { throw PackError.sourceChanged(path: source) }
            try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        return report(manifest, files: placement.files, output: output, skipped: scan.skipped + placement.skipped)
    }

    /// First pass: every entry checked by the reader, every file hashed, candidate manifests kept.
    static func scanArchive(_ source: String, limits: ArchiveLimits) throws -> ArchiveScan {
        var scan = ArchiveScan()
        let reader = try ArchiveReader(path: source, limits: limits)
        while let entry = try reader.nextEntry() {
            if PackageDetector.isLitter(entry.path) {
                scan.skipped.append(entry.path.value)
                continue
            }
            scan.entries.append(entry)
            guard entry.kind == .file else { continue }
            var hasher = ContentHasher()
            let keep = isCandidate(entry.path)
            var kept: [UInt8] = []
            try reader.readData { block in
                hasher.update(block)
                if keep, kept.count < candidateLimit { kept.append(contentsOf: block.prefix(candidateLimit - kept.count)) }
            }
            scan.files[entry.path] = ContentFile(size: hasher.byteCount, hash: hasher.finalize())
            if keep { scan.candidates[entry.path] = kept }
        }
        return scan
    }

    /// Files that may be the package manifest: known names at the root or one folder down.
    static func isCandidate(_ path: BundlePath) -> Bool {
        let names = [BundleManifest.fileName, ScormManifest.fileName, Cmi5CourseStructure.fileName, "index.html", "index.htm"]
        return path.segments.count <= 2 && names.contains(path.segments.last?.lowercased() ?? "")
    }

    /// bundle.json as found in a zipped bundle, else derived from the package's own manifest.
    static func derivedManifest(scan: ArchiveScan, detection: PackageDetector.Detection, source: String) throws -> BundleManifest {
        let bytes = scan.candidates[detection.manifest] ?? []
        do {
            switch detection.kind {
            case .bundle:
                do { return try BundleManifest.parse(Data(bytes)) } catch { throw PackError.manifest(error) }
            case .scorm:
                return try DerivedManifest.scorm(ScormManifest(parsing: bytes))
            case .cmi5:
                return try DerivedManifest.cmi5(Cmi5CourseStructure(parsing: bytes))
            case .html5:
                let entry = detection.bundlePath(detection.manifest) ?? detection.manifest
                return DerivedManifest.html5(entry: entry, indexBytes: bytes, name: packageName(source))
            }
        } catch let error as PackagingError {
            throw PackError.packaging(error)
        }
    }

    /// The source's file name without folder and extension ("calcul-mental" for "x/calcul-mental.zip").
    static func packageName(_ source: String) -> String {
        let file = source.split(separator: "/").last.map(String.init) ?? source
        guard let dot = file.firstIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
