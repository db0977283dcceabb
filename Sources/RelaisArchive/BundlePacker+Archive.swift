import Foundation
import RelaisCore

extension BundlePacker {
    /// What the first pass over a zip learns.
    struct ArchiveScan {
        /// Entries in archive order, litter left out.
        var entries: [ArchiveEntry] = []
        /// Size and hash of each file, by archive path.
        var files: [BundlePath: ContentFile] = [:]
        /// Bytes of the files that may be the package manifest (see `candidateLimit`).
        var candidates: [BundlePath: [UInt8]] = [:]
        var skipped: [String] = []
    }

    /// Manifests are kept whole during the hashing pass up to this size (a larger one is truncated,
    /// then fails to parse naming the file); of an index page, only the head that holds its title.
    static let manifestLimit = 16 << 20
    static let indexLimit = 64 << 10
    /// All candidates together: a zip of thousands of folders each with an index.html costs no more.
    static let candidateBudget = 64 << 20

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
        // A package that names no publisher needs `--publisher` (the catalogue shows it, reports
        // count by it; « inconnu » helped no one). Refused before anything is written, after the
        // other checks so every other mistake is named first.
        let noPublisher = detection.kind != .bundle && overrides.applied(to: derived).publisher.trimmingCharacters(in: .whitespaces).isEmpty
        var checked = overrides
        if noPublisher { checked.publisher = "?" }
        let manifest = try finalManifest(derived, overrides: checked, files: placement.files, links: placement.links)
        if noPublisher { throw PackError.publisherMissing(file: detection.manifest.value) }

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
        var budget = candidateBudget
        let reader = try ArchiveReader(path: source, limits: limits)
        while let entry = try reader.nextEntry() {
            if PackageDetector.isLitter(entry.path) {
                scan.skipped.append(entry.path.value)
                continue
            }
            scan.entries.append(entry)
            guard entry.kind == .file else { continue }
            var hasher = ContentHasher()
            let limit = min(candidateLimit(entry.path), budget)
            var kept: [UInt8] = []
            try reader.readData { block in
                hasher.update(block)
                if kept.count < limit { kept.append(contentsOf: block.prefix(limit - kept.count)) }
            }
            scan.files[entry.path] = ContentFile(size: hasher.byteCount, hash: hasher.finalize())
            if limit > 0 {
                scan.candidates[entry.path] = kept
                budget -= kept.count
            }
        }
        return scan
    }

    /// How much of a file to keep for detection: manifests and index pages at the root or one
    /// folder down (where `PackageDetector` looks), nothing of any other file.
    static func candidateLimit(_ path: BundlePath) -> Int {
        guard path.segments.count <= 2, let name = path.segments.last?.lowercased() else { return 0 }
        switch name {
        case BundleManifest.fileName, ScormManifest.fileName, Cmi5CourseStructure.fileName: return manifestLimit
        case "index.html", "index.htm": return indexLimit
        default: return 0
        }
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
