import Foundation
import RelaisFuzzBodies
import Testing

/// Replays every committed fuzz input (Tests/Fuzz/<target>/corpus and regressions) through the
/// same bodies `relais-fuzz` runs, without the sanitizer: no crash, no broken property, and each
/// regression ends as its file name says (`….accept` accepted, `….refuse` refused with a message).
@Suite struct FuzzRegressionTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func inputs(_ target: String, _ kind: String) -> [URL] {
        let folder = fuzzFolder.appendingPathComponent(target).appendingPathComponent(kind)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test("every target has a seed corpus that reaches past the parser's first refusal", arguments: FuzzBodies.targets.map(\.name))
    func corpus(_ name: String) throws {
        let target = try #require(FuzzBodies.target(named: name))
        let files = Self.inputs(name, "corpus")
        #expect(!files.isEmpty, "Tests/Fuzz/\(name)/corpus is empty")
        var accepted = 0
        for file in files {
            let outcome = target.body(Array(try Data(contentsOf: file)))
            #expect(!outcome.isBroken, "\(name)/corpus/\(file.lastPathComponent): \(outcome)")
            if outcome == .accepted { accepted += 1 }
        }
        #expect(accepted > 0, "no input of Tests/Fuzz/\(name)/corpus is accepted: the fuzzer would only explore refusals")
    }

    @Test("every input a fuzzer once crashed on is now accepted or refused as recorded", arguments: FuzzBodies.targets.map(\.name))
    func regressions(_ name: String) throws {
        let target = try #require(FuzzBodies.target(named: name))
        for file in Self.inputs(name, "regressions") {
            let outcome = target.body(Array(try Data(contentsOf: file)))
            switch file.pathExtension {
            case "accept":
                #expect(outcome == .accepted, "\(name)/regressions/\(file.lastPathComponent): \(outcome)")
            case "refuse":
                guard case .refused(let why) = outcome else {
                    Issue.record("\(name)/regressions/\(file.lastPathComponent): expected a refusal, got \(outcome)")
                    continue
                }
                #expect(!why.isEmpty)
            default:
                Issue.record("\(name)/regressions/\(file.lastPathComponent): name it NAME.accept or NAME.refuse")
            }
        }
    }

    @Test("a refusal carries the parser's message; a plain request head is accepted")
    func outcomes() throws {
        let manifest = try #require(FuzzBodies.target(named: "bundle-manifest"))
        guard case .refused(let why) = manifest.body(Array(#"{"schema": 1}"#.utf8)) else {
            Issue.record("a bundle.json without its fields was not refused"); return
        }
        #expect(why.contains("id") || why.contains("missing") || why.contains("manque"))
        let head = try #require(FuzzBodies.target(named: "request-head"))
        #expect(head.body(Array("GET /b/fr.relais.demo/1.0.0/index.html HTTP/1.1\r\nHost: relais.local\r\n\r\n".utf8)) == .accepted)
        // A traversal is a complete head (answered 400 by the origin), not a served file.
        #expect(!head.body(Array("GET /b/x/1/%2e%2e/%2E%2E/etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n".utf8)).isBroken)
    }
}
