import Foundation

/// The shared corpus of real publishers' packages (read-only): `RELAIS_CORPUS`, else
/// `../shared/corpus` beside the repository.
enum Corpus {
    static var root: String {
        if let override = ProcessInfo.processInfo.environment["RELAIS_CORPUS"], !override.isEmpty { return override }
        // Tests/RelaisArchiveTests/Support/Corpus.swift → the repository's parent folder.
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let parent = file.deletingLastPathComponent().appendingPathComponent("../../../../shared/corpus")
        return parent.standardizedFileURL.path
    }

    /// The path of a corpus file, e.g. "scorm/RuntimeBasicCalls_SCORM12.zip".
    static func path(_ name: String) -> String { root + "/" + name }
}
