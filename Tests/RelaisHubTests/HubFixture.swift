import Foundation
import RelaisArchive
import RelaisCore
import RelaisHub
import RelaisRepository

/// A temporary folder holding a repository, its keys folder beside it, and the bundles and
/// licence documents a test adds; removed when the test ends.
final class HubFixture {
    let folder: String
    var repo: String { folder + "/repo" }
    var keys: String { folder + "/keys" }
    /// 2026-11-29T00:00:00Z.
    let now: Int64 = 1_795_910_400

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("relais-hub-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// A bundle packed by BundlePacker from a folder with bundle.json and index.html.
    func bundle(id: String = "fr.relais.test.demo", version: String = "1.0.0", kind: BundleManifest.Kind = .solution) throws -> String {
        let source = folder + "/src-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        let manifest = BundleManifest(
            id: id, version: version, kind: kind, title: .init(fr: "Démo", en: "Demo"), description: .init(fr: "Pour les tests"),
            publisher: "Tests", standard: .html5, entry: "index.html")
        try manifest.encoded().write(to: URL(fileURLWithPath: source + "/bundle.json"))
        try Data("<p>\(id) \(version)</p>".utf8).write(to: URL(fileURLWithPath: source + "/index.html"))
        let output = folder + "/\(id)-\(version).relais"
        _ = try BundlePacker.pack(source: source, output: output)
        return output
    }

    /// A licence document file named after its UAI.
    func licence(uai: String = "0750654D", bundleID: String = "fr.relais.test.demo", seats: String = #""nbLicenceGlobale": "ILLIMITE""#) throws -> String {
        let text = """
            {"uai": "\(uai)", "abonnements": [{"idAbonnement": "A-1", "idRessource": "\(bundleID)", "libelleRessource": "Démo",
              "debutValidite": "2026-09-01T00:00:00Z", "finValidite": "2027-08-31T23:59:59Z", "typeAffectation": "ETABL",
              \(seats), "publicCible": ["ELEVE", "ENSEIGNANT"]}]}
            """
        let path = folder + "/\(uai).json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func initialize(_ roles: [HubRole: RoleKeyPolicy] = [:], expiries: Expiries = Expiries()) throws {
        try HubRepository.initialize(repo: repo, keys: keys, roles: roles, expiries: expiries, now: now)
    }

    @discardableResult
    func publish(at time: Int64? = nil) throws -> PublishSummary {
        try HubRepository.publish(repo: repo, keys: keys, now: time ?? now)
    }

    func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: repo + "/" + relative)))
    }

    func metadata(_ name: String) throws -> SignedMetadata {
        try SignedMetadata(bytes: try bytes("metadata/" + name))
    }

    func root(_ name: String = "root.json") throws -> RootMetadata {
        try RootMetadata(try metadata(name).signed)
    }

    /// Files under `relative`, recursively (hidden ones included).
    func files(under relative: String) -> [String] {
        (FileManager.default.enumerator(atPath: repo + "/" + relative)?.allObjects as? [String] ?? []).filter {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: repo + "/" + relative + "/" + $0, isDirectory: &isFolder)
            return !isFolder.boolValue
        }.sorted()
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// The draft as the next publish would sign it.
    func draft() throws -> JSONValue {
        try JSONValue(parsing: try bytes(".relais-hub/draft.json"), numbers: .integersOnly)
    }
}
