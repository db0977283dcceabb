import ArgumentParser
import Foundation
import RelaisRepository

/// `relais tuf`: the TUF client alone, speaking the client-under-test CLI of the TUF conformance
/// suite (theupdateframework/tuf-conformance, CLIENT-CLI.md), so independent suites can drive it.
/// The verb comes after the options, as that protocol writes it: `relais tuf --metadata-dir D init ROOT`.
struct TUFCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tuf",
        abstract: "The TUF client alone (tuf-conformance client-under-test CLI): init, refresh, download.",
        discussion: """
            relais tuf --metadata-dir D init ROOT
            relais tuf --metadata-dir D --metadata-url U refresh
            relais tuf --metadata-dir D --metadata-url U --target-name T --target-base-url B --target-dir TD download
            download follows targets delegations (paths, path_hash_prefixes, succinct hash bins).
            Exit 0 on success, 1 when anything is refused or fails.
            """)

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case `init`, refresh, download
    }

    @Option(help: "Folder holding the trusted metadata (root.json, timestamp.json, snapshot.json, targets.json, and ROLE.json for each delegated role fetched, ROLE URL-quoted).")
    var metadataDir: String

    @Option(name: .customLong("metadata-url"), help: "Base URL of the repository's metadata.")
    var metadataURL: String?

    @Option(help: "TUF target path to download.")
    var targetName: String?

    @Option(name: .customLong("target-base-url"), help: "Base URL of the repository's targets.")
    var targetBaseURL: String?

    @Option(help: "Folder the verified target is written to (named after the target path, percent-encoded).")
    var targetDir: String?

    @Argument(help: "init, refresh or download.")
    var action: Action

    @Argument(help: "For init: the trusted root.json, obtained out of band.")
    var trustedRoot: String?

    func validate() throws {
        switch action {
        case .`init`:
            if trustedRoot == nil { throw ValidationError("init needs the trusted root.json file") }
        case .refresh:
            if metadataURL == nil { throw ValidationError("refresh needs --metadata-url") }
        case .download:
            if metadataURL == nil || targetName == nil || targetBaseURL == nil || targetDir == nil {
                throw ValidationError("download needs --metadata-url, --target-name, --target-base-url and --target-dir")
            }
        }
    }

    func run() async throws {
        switch action {
        case .`init`:
            let root = try Data(contentsOf: URL(fileURLWithPath: trustedRoot ?? ""))
            try TUFUpdater.initialize(metadataDirectory: metadataDir, trustedRoot: Array(root))
            print("trusted root written to \(metadataDir)/root.json")
        case .refresh:
            let refresh = try await updater().refresh()
            print("root v\(refresh.rootVersion), timestamp v\(refresh.timestampVersion), snapshot v\(refresh.snapshotVersion), targets v\(refresh.targetsVersion)")
        case .download:
            try await download()
        }
    }

    /// Refreshes, then downloads the target unless the target folder already holds a verified copy.
    private func download() async throws {
        let updater = try updater()
        _ = try await updater.refresh()
        let name = targetName ?? ""
        let folder = targetDir ?? ""
        // Top-level targets, else the delegations (only the roles on the way are fetched).
        guard try await updater.findTarget(name) != nil else { throw TUFError.unknownTarget(name) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = "\(folder)/\(Self.fileName(name))"
        if updater.hasVerifiedCopy(of: name, at: file) {
            print("\(name) already downloaded: \(file)")
            return
        }
        // A dot-file, so a listing of downloaded targets never shows a half-written one.
        try await updater.download(name, to: file, partial: "\(folder)/.\(Self.fileName(name)).partial")
        print("\(name) downloaded and verified: \(file)")
    }

    private func updater() throws -> TUFUpdater {
        let metadata = metadataURL ?? ""
        let transport = HTTPTransport(metadataURL: metadata, targetsURL: targetBaseURL ?? metadata)
        return try TUFUpdater(metadataDirectory: metadataDir, transport: transport, now: Int64(Date().timeIntervalSince1970))
    }

    /// The target path percent-encoded into one file name (no `/`), as python-tuf names downloads;
    /// a leading dot is encoded too, so `..` or a dot-file cannot come out.
    static func fileName(_ targetPath: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = targetPath.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return encoded.hasPrefix(".") ? "%2E" + encoded.dropFirst() : encoded
    }
}
