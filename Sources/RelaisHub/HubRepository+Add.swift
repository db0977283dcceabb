import Crypto
import Foundation
import RelaisArchive
import RelaisCore

/// A target `add` put in the draft.
public struct AddedTarget: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case bundle(id: String, version: String, licenceRequired: Bool)
        case licence(uai: String, abonnements: Int)
    }

    /// The target path, e.g. `bundles/fr.relais.demo.calcul-mental/1.2.0.relais`.
    public let path: String
    public let length: Int64
    public let sha256: String
    public let kind: Kind
    /// Whether it replaced a draft entry with the same path.
    public let replaced: Bool
}

extension HubRepository {
    /// The largest licence document `add` reads (one établissement's abonnements are a few KiB).
    static let maximumLicenceBytes = 16 << 20

    /// Checks each file and adds it to the draft: `.relais` bundles (read with BundleInspector,
    /// every hash checked) as `bundles/ID/VERSION.relais`, licence documents (`.json`, validated
    /// with LicenceDocument) as `licences/UAI.json`. Each file is copied to `targets/` under its
    /// consistent name; an entry with the same path is replaced. All files are checked before
    /// any is added: one refusal leaves the repository as it was.
    /// A folder among `files` stands for the `.relais` and `.json` files directly inside it, in
    /// name order (other files and hidden ones are skipped): 10,000 licence documents are given as
    /// their folder, not as 10,000 arguments (which the argument parser handles in quadratic time
    /// and which can exceed the system's argument size).
    /// - Parameter free: marks the bundles as needing no licence (training modules never do).
    @discardableResult
    public static func add(repo: String, files given: [String], free: Bool = false) throws(HubError) -> [AddedTarget] {
        let files = try expandingFolders(given)
        let (layout, lock) = try open(repo)
        defer { withExtendedLifetime(lock) {} }
        var draft = try Draft.load(layout)
        try HubFiles.makeFolder(layout.staging)
        var staged: [(target: StagedTarget, file: String)] = []
        do throws(HubError) {
            for file in files { staged.append((try stage(file, layout: layout, free: free), file)) }
        } catch {
            for item in staged { HubFiles.remove(item.target.temporaryFile) }
            HubFiles.remove(layout.staging)
            throw error
        }
        var added: [AddedTarget] = []
        var folders: Set<String> = []
        for (target, _) in staged {
            let destination = layout.targetFile(target.path, sha256: target.sha256)
            let folder = (destination as NSString).deletingLastPathComponent
            if folders.insert(folder).inserted { try HubFiles.makeFolder(folder) }
            // Renamed over a file already there (same name, so same bytes when it is whole): a
            // copy an earlier `add` left unflushed by a crash is replaced, never kept.
            try HubFiles.move(target.temporaryFile, to: destination, durable: false)
            let replaced = draft.targets[target.path] != nil
            draft.targets[target.path] = .object([
                "length": .integer(target.length), "hashes": .object(["sha256": .string(target.sha256)]), "custom": target.custom,
            ])
            added.append(AddedTarget(path: target.path, length: target.length, sha256: target.sha256, kind: target.kind, replaced: replaced))
        }
        // One flush for every copy, before the draft that names them is written (durably).
        try HubFiles.flush(fileSystemOf: layout.targets)
        try draft.save(layout)
        HubFiles.remove(layout.staging)
        return added
    }

    /// `paths` with each folder replaced by the bundles and licence documents directly inside it.
    static func expandingFolders(_ paths: [String]) throws(HubError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                files.append(path)
                continue
            }
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
                throw .io(what: "list", path: path, reason: error.localizedDescription)
            }
            let inside = names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".relais") || $0.hasSuffix(".json")) }.sorted()
            guard !inside.isEmpty else { throw .emptyFolder(path) }
            files += inside.map { (path as NSString).appendingPathComponent($0) }
        }
        return files
    }

    /// Takes targets out of the draft; the next publish no longer lists them, and boxes then
    /// unlist them. Refuses, changing nothing, if one path is not in the draft.
    public static func remove(repo: String, targetPaths: [String]) throws(HubError) {
        let (layout, lock) = try open(repo)
        defer { withExtendedLifetime(lock) {} }
        var draft = try Draft.load(layout)
        for path in targetPaths {
            guard draft.targets.removeValue(forKey: path) != nil else { throw .unknownTarget(path) }
        }
        try draft.save(layout)
    }

    /// A checked copy waiting in `.relais-hub/tmp/` to be moved to its consistent name.
    struct StagedTarget {
        let path: String
        let temporaryFile: String
        let length: Int64
        let sha256: String
        let custom: JSONValue
        let kind: AddedTarget.Kind
    }

    /// A bundle or a licence document, told apart by the file's extension.
    static func stage(_ file: String, layout: HubLayout, free: Bool) throws(HubError) -> StagedTarget {
        if file.hasSuffix(".relais") { return try stageBundle(file, layout: layout, free: free) }
        if file.hasSuffix(".json") { return try stageLicence(file, layout: layout) }
        throw .unknownFileType(file)
    }

    /// Copies the bundle, then inspects the copy: what is checked is what is published.
    static func stageBundle(_ file: String, layout: HubLayout, free: Bool) throws(HubError) -> StagedTarget {
        let copy = try HubFiles.copyHashing(file, into: layout.staging)
        let inspection: BundleInspection
        do { inspection = try BundleInspector.inspect(path: copy.path) } catch {
            HubFiles.remove(copy.path)
            throw .invalidBundle(path: file, reason: "\(error)")
        }
        guard inspection.verified else {
            HubFiles.remove(copy.path)
            throw .invalidBundle(path: file, reason: inspection.problems.joined(separator: "; "))
        }
        let manifest = inspection.manifest
        let licenceRequired = manifest.kind == .solution && !free
        var title: [String: JSONValue] = ["fr": .string(manifest.title.fr)]
        if let english = manifest.title.en { title["en"] = .string(english) }
        let custom = JSONValue.object([
            "id": .string(manifest.id), "version": .string(manifest.version), "kind": .string(manifest.kind.rawValue),
            "title": .object(title), "standard": .string(manifest.standard.rawValue), "licenceRequired": .bool(licenceRequired),
        ])
        return StagedTarget(
            path: "bundles/\(manifest.id)/\(manifest.version).relais", temporaryFile: copy.path, length: copy.length, sha256: copy.sha256,
            custom: custom, kind: .bundle(id: manifest.id, version: manifest.version, licenceRequired: licenceRequired))
    }

    /// Validates the document (against the UAI in its file name when the name is one) and
    /// stages the very bytes validated.
    static func stageLicence(_ file: String, layout: HubLayout) throws(HubError) -> StagedTarget {
        let bytes = try HubFiles.read(file)
        guard bytes.count <= maximumLicenceBytes else { throw .invalidLicence(path: file, reason: "larger than 16 MiB") }
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let document: LicenceDocument
        do { document = try LicenceDocument(json: bytes, expectedUAI: try? UAI(stem)) } catch {
            throw .invalidLicence(path: file, reason: error.description)
        }
        let temporary = (layout.staging as NSString).appendingPathComponent(UUID().uuidString)
        try HubFiles.save(bytes, to: temporary, durable: false)
        let sha256 = ContentHash(digest: Crypto.SHA256.hash(data: bytes)).hex
        return StagedTarget(
            path: "licences/\(document.uai.value).json", temporaryFile: temporary, length: Int64(bytes.count), sha256: sha256,
            custom: .object(["uai": .string(document.uai.value)]), kind: .licence(uai: document.uai.value, abonnements: document.abonnements.count))
    }
}
