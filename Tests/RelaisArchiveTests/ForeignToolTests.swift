import Foundation
import RelaisArchive
import RelaisCore
import Testing

/// Archives made by the tools publishers and admins use (bsdtar, GNU tar, Info-ZIP) read as expected.
@Suite struct ForeignToolTests {
    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A small tree with a UTF-8 name and a symlink, archived by `command` run inside it.
    func archive(_ command: [String], output: String) throws -> (Sandbox, String) {
        let sandbox = try Sandbox()
        try sandbox.write("tree/élève/fiche.html", "<p>fiche</p>")
        try sandbox.write("tree/index.html", "<p>accueil</p>")
        try FileManager.default.createSymbolicLink(atPath: sandbox.path("tree/accueil.html"), withDestinationPath: "index.html")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst()) + [sandbox.path(output), "."]
        process.currentDirectoryURL = URL(fileURLWithPath: sandbox.path("tree"))
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return (sandbox, sandbox.path(output))
    }

    func expectTree(_ path: String) throws {
        let entries = try readEverything(path)
        let files = Dictionary(entries.filter { $0.0.kind == .file }.map { ($0.0.path.value, String(decoding: $0.1, as: UTF8.self)) }) { a, _ in a }
        #expect(files == ["élève/fiche.html": "<p>fiche</p>", "index.html": "<p>accueil</p>"])
        #expect(entries.contains { $0.0.path.value == "accueil.html" && $0.0.kind == .link(to: try! BundlePath("index.html")) })
    }

    @Test(.enabled(if: tool("bsdtar") != nil))
    func readsATarGzMadeByBsdtarWithADotRoot() throws {
        let (sandbox, path) = try archive([Self.tool("bsdtar")!, "-czf"], output: "t.tgz")
        try withExtendedLifetime(sandbox) { try expectTree(path) }
    }

    @Test(.enabled(if: tool("tar") != nil))
    func readsATarGzMadeByGNUTar() throws {
        let (sandbox, path) = try archive([Self.tool("tar")!, "-czf"], output: "t.tar.gz")
        try withExtendedLifetime(sandbox) { try expectTree(path) }
    }

    @Test(.enabled(if: tool("zip") != nil))
    func readsAZipMadeByInfoZIP() throws {
        let (sandbox, path) = try archive([Self.tool("zip")!, "-q", "-r", "-y"], output: "t.zip")
        try expectTree(path)
        // And packs it as an HTML5 bundle.
        let report = try BundlePacker.pack(source: path, output: sandbox.path("t.relais"), overrides: ManifestOverrides(publisher: "Tests"))
        #expect(report.manifest.entry == "index.html" && report.fileCount == 2)
    }
}
