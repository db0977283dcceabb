import Crypto
import Foundation
import Logging
import RelaisArchive
import RelaisCore
import RelaisStore

/// A fresh box in its own temporary folder, removed when the test ends.
public final class TestBox {
    public let folder: URL
    public let box: Box

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("relais-store-\(UUID().uuidString)")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        box = try Box.create(at: DataDirectory(folder.appendingPathComponent("data").path), uai: try UAI("0750654D"), name: "Test", logger: logger)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Writes a bundle archive the way `relais bundle pack` lays it out; `digests` overrides the
    /// SHA256SUMS text (to make hostile bundles).
    public func bundle(
        id: String = "fr.relais.test.demo", version: String = "1.0.0", files: [String: String],
        entry: String = "index.html", digests: String? = nil, manifestLast: Bool = false, kind: String = "solution"
    ) throws -> String {
        let manifest = BundleManifest(
            id: id, version: version, kind: BundleManifest.Kind(rawValue: kind) ?? .solution, title: .init(fr: "Démo \(id)"), description: .init(fr: "Pour les tests"),
            publisher: "Tests", standard: .html5, entry: entry)
        var list = DigestList()
        for (path, text) in files {
            list.entries[try BundlePath(path)] = ContentHash(digest: SHA256.hash(data: Data(text.utf8)))
        }
        let path = folder.appendingPathComponent("\(id)-\(version)-\(UUID().uuidString).relais").path
        let writer = try ArchiveWriter(path: path)
        if !manifestLast { try writer.addFile(BundleManifest.fileName, contents: Array(manifest.encoded())) }
        try writer.addFile(DigestList.fileName, contents: Array((digests ?? list.rendered()).utf8))
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            try writer.addFile(name, contents: Array(text.utf8))
        }
        if manifestLast { try writer.addFile(BundleManifest.fileName, contents: Array(manifest.encoded())) }
        try writer.finish()
        return path
    }

    /// Imports as the school would with `import --local`.
    @discardableResult
    public func importBundle(_ path: String) throws -> ImportReport {
        try box.importer().importBundle(at: path, origin: .local)
    }

    /// Imports as a sync would, as the signed target `bundles/{id}/{version}.relais`.
    @discardableResult
    public func importFromRepository(_ path: String, id: String, version: String = "1.0.0", licenceRequired: Bool = true) throws -> ImportReport {
        let target = RepositoryTarget(
            path: "bundles/\(id)/\(version).relais", sha256: String(repeating: "0", count: 64), bundleID: id, version: version,
            licenceRequired: licenceRequired)
        return try box.importer().importBundle(at: path, origin: .repository, target: target)
    }

    /// Stores a licence document as a sync would after verifying it.
    public func storeLicence(_ json: String) throws {
        try box.storeLicence(Array(json.utf8), sha256: String(repeating: "1", count: 64), now: 0)
    }

    /// The bytes served for a path of a version, read back from the blob store.
    public func served(_ id: String, _ version: String, _ path: String) throws -> String? {
        guard let file = try box.storedFiles().first(where: { $0.bundleID == id && $0.version == version && $0.path.value == path })
        else { return nil }
        return try String(contentsOfFile: box.blobPath(file.hash), encoding: .utf8)
    }

    /// Every file under the data folder's tmp/ (staging must be empty between commands).
    public func stagingLeftovers() -> [String] {
        (FileManager.default.enumerator(atPath: box.directory.tmpPath)?.allObjects as? [String]) ?? []
    }

    /// Files in the blob store.
    public func blobFiles() -> Int {
        let root = box.directory.blobsPath
        let shards = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return shards.reduce(0) { $0 + ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + $1).count) ?? 0) }
    }
}
