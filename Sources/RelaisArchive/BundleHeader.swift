import Foundation
import RelaisCore

/// The two entries every bundle starts with: bundle.json, then SHA256SUMS. Reading them first lets
/// an importer check each content file's hash while it streams by.
public struct BundleHeader: Sendable, Equatable {
    /// bundle.json, parsed and validated.
    public var manifest: BundleManifest
    /// The expected hash of every content file.
    public var digests: DigestList

    /// Largest bundle.json accepted.
    public static let maxManifestBytes = 1 << 20
    /// Largest SHA256SUMS accepted: 200,000 lines of about 100 bytes fit with room to spare.
    public static let maxDigestListBytes = 64 << 20

    /// Makes a header.
    public init(manifest: BundleManifest, digests: DigestList) {
        self.manifest = manifest
        self.digests = digests
    }

    /// Reads bundle.json then SHA256SUMS from a reader positioned at the start of `path`.
    public static func read(from reader: ArchiveReader, path: String) throws -> BundleHeader {
        guard let first = try reader.nextEntry(), first.path.value == BundleManifest.fileName, first.kind == .file else {
            throw PackError.notABundle(path: path, reason: "its first entry is not bundle.json")
        }
        let manifest: BundleManifest
        do { manifest = try BundleManifest.parse(Data(try reader.readAll(maxBytes: maxManifestBytes))) } catch let error as ManifestError {
            throw PackError.manifest(error)
        }
        guard let second = try reader.nextEntry(), second.path.value == DigestList.fileName, second.kind == .file else {
            throw PackError.notABundle(path: path, reason: "its second entry is not SHA256SUMS")
        }
        let text = String(decoding: try reader.readAll(maxBytes: maxDigestListBytes), as: UTF8.self)
        do {
            return BundleHeader(manifest: manifest, digests: try DigestList(parsing: text))
        } catch {
            throw PackError.notABundle(path: path, reason: error.description)
        }
    }
}
