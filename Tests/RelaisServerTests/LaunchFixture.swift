import Foundation
import Logging
import RelaisArchive
@testable import RelaisLaunch
@testable import RelaisServer
import RelaisCore
import RelaisStore
import RelaisTestSupport
import RelaisXAPI

/// The shared corpus (`../shared/corpus` beside the repository) packed and imported into a test box.
enum LaunchCorpus {
    static let root: String = {
        let file = URL(fileURLWithPath: #filePath)
        return file.deletingLastPathComponent().appendingPathComponent("../../../shared/corpus").standardizedFileURL.path
    }()

    static let cmi5 = "cmi5/single_au_basic_responsive.zip"
    static let scorm12 = "scorm/RuntimeBasicCalls_SCORM12.zip"
    static let scorm2004 = "scorm/RuntimeBasicCalls_SCORM20043rdEdition.zip"

    /// Packs a corpus package and imports it as the school would (`import --local`); returns its id.
    @discardableResult
    static func install(_ name: String, into t: TestBox) throws -> CatalogEntry {
        let output = t.folder.appendingPathComponent(UUID().uuidString + ".relais").path
        // The corpus packages name no publisher: give it, as `bundle pack --publisher` would.
        let report = try BundlePacker.pack(source: root + "/" + name, output: output, overrides: ManifestOverrides(publisher: "ADL / Rustici Software"))
        try t.importBundle(output)
        let id = report.manifest.id
        guard let entry = try t.box.catalog().first(where: { $0.manifest.id == id }) else { throw CocoaError(.fileNoSuchFile) }
        return entry
    }
}

/// Statements stored on a test box, parsed.
func storedStatements(_ box: Box, registration: String? = nil) throws -> [JSONValue] {
    try box.statements(matching: StatementQuery(registration: registration, limit: StatementQuery.maxLimit, ascending: true), scope: nil)
        .statements.map { try JSONValue(parsing: $0) }
}

let testOrigins = LaunchOrigins(portal: "http://relais.local:8080", content: "http://relais.local:20000")
