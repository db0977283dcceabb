import ArgumentParser
import Foundation
import RelaisCore
import RelaisHub

/// `relais repo init|add|remove|publish|rotate`: the hub's signed repository (TUF 1.0, ed25519,
/// consistent snapshots). REPO is published as is; the private keys stay in KEYS, outside it.
struct RepoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repo", abstract: "Hub side: build and sign the repository of bundles and licences.",
        subcommands: [Init.self, Add.self, Remove.self, Publish.self, Rotate.self, Verify.self, Bins.self])

    /// `relais repo init REPO --keys KEYS`.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a repository and generate the keys of root, targets, snapshot and timestamp.")

        @Argument(help: "The repository folder to create (metadata/ and targets/ go there).") var repo: String
        @Option(help: "Folder for the private keys (created 0700, outside REPO; back it up).") var keys: String
        @Option(help: "Signatures needed for a role, e.g. root=2; repeat for several roles.") var threshold: [RoleNumber] = []
        @Option(name: .customLong("key-count"), help: "Keys generated for a role, e.g. root=3; repeat for several roles.")
        var keyCount: [RoleNumber] = []
        @Option(name: .customLong("root-days"), help: "Days before the first root expires.") var rootDays = 365
        @Option(
            name: .customLong("licence-bins"),
            help: ArgumentHelp(
                "Publish licences/UAI.json targets in N hash bins (N a power of two, 2 to 65536, e.g. 256 for a few thousand schools).",
                discussion: """
                    Top-level targets then delegates licences to N succinct hash bins (metadata/V.licences-HEX.json), signed by a \
                    bins key generated in KEYS; publish re-signs only the bins whose licences changed, and a box fetches only the \
                    bin holding its own licence instead of every school's. Without it, every licence is in targets.json.
                    """, valueName: "N"))
        var licenceBins: Int?

        func run() throws {
            var policies: [HubRole: RoleKeyPolicy] = [:]
            for setting in keyCount { policies[setting.role, default: .single].keyCount = setting.number }
            for setting in threshold { policies[setting.role, default: .single].threshold = setting.number }
            let summary = try HubRepository.initialize(
                repo: repo, keys: keys, roles: policies, expiries: Expiries(rootDays: rootDays), licenceBins: licenceBins, now: RepoCommand.now())
            print("Dépôt créé / repository created: \(repo) (1.root.json, expire \(UTCTime.format(summary.rootExpires)))")
            for role in HubRole.allCases {
                let ids = summary.keyIDs[role] ?? []
                print("  \(role.rawValue): \(summary.thresholds[role] ?? 1) of \(ids.count) key(s) \(ids.map { String($0.prefix(12)) }.joined(separator: " "))")
            }
            if summary.licenceBins > 0 {
                print("  licences: \(summary.licenceBins) hash bins, 1 of \(summary.binsKeyIDs.count) key(s) \(summary.binsKeyIDs.map { String($0.prefix(12)) }.joined(separator: " "))")
            }
            print("Clés privées / private keys: \(keys) — sauvegardez-les / back them up. Next: relais repo add \(repo) FILE…")
        }
    }

    /// `relais repo add REPO FILE… [--free]`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add bundles (.relais) and licence documents (UAI.json) to the next publish.")

        @Argument(help: "The repository folder.") var repo: String
        @Argument(help: "Bundles (.relais) and licence documents (.json), or folders holding them (for thousands of licences, give their folder).")
        var files: [String]
        @Flag(help: "Mark the bundles as needing no licence (training modules never need one).") var free = false

        func run() throws {
            for target in try HubRepository.add(repo: repo, files: files, free: free) {
                let what: String
                switch target.kind {
                case .bundle(_, _, let licenceRequired): what = licenceRequired ? "licence required" : "free"
                case .licence(_, let count): what = "\(count) abonnement(s)"
                }
                print("\(target.replaced ? "replaced" : "added") \(target.path) (\(ByteCount.format(target.length)), \(what))")
            }
            print("Next: relais repo publish \(repo) --keys KEYS")
        }
    }

    /// `relais repo remove REPO PATH…`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take targets out of the next publish (boxes then unlist them).")

        @Argument(help: "The repository folder.") var repo: String
        @Argument(help: "Target paths, e.g. bundles/fr.relais.demo.calcul-mental/1.2.0.relais.") var paths: [String]

        func run() throws {
            try HubRepository.remove(repo: repo, targetPaths: paths)
            for path in paths { print("removed \(path)") }
            print("Next: relais repo publish \(repo) --keys KEYS")
        }
    }

    /// Expiry options shared by publish and rotate.
    struct ExpiryOptions: ParsableArguments {
        @Option(name: .customLong("timestamp-days"), help: "Days timestamp.json stays valid.") var timestampDays = 7
        @Option(name: .customLong("snapshot-days"), help: "Days the snapshot stays valid.") var snapshotDays = 30
        @Option(name: .customLong("targets-days"), help: "Days the targets metadata stays valid.") var targetsDays = 90
        @Option(name: .customLong("root-days"), help: "Days a new root stays valid.") var rootDays = 365

        var expiries: Expiries {
            Expiries(timestampDays: timestampDays, snapshotDays: snapshotDays, targetsDays: targetsDays, rootDays: rootDays)
        }
    }

    /// `relais repo publish REPO --keys KEYS`.
    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign and write new metadata for the current targets.")

        @Argument(help: "The repository folder.") var repo: String
        @Option(help: "The keys folder made by `relais repo init`.") var keys: String
        @OptionGroup var expiry: ExpiryOptions

        func run() throws {
            RepoCommand.report(try HubRepository.publish(repo: repo, keys: keys, expiries: expiry.expiries, now: RepoCommand.now()))
        }
    }

    /// `relais repo bins REPO --keys KEYS --count N`.
    struct Bins: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move the licences of a repository made without --licence-bins into N hash bins (from the next publish).")

        @Argument(help: "The repository folder.") var repo: String
        @Option(help: "The keys folder made by `relais repo init` (the bins key is generated there).") var keys: String
        @Option(help: "Number of bins, a power of two from 2 to 65536 (e.g. 256 for a few thousand schools).") var count: Int

        func run() throws {
            let keyID = try HubRepository.enableLicenceBins(repo: repo, keys: keys, count: count)
            print("licences: \(count) hash bins, bins key \(keyID.prefix(12)) in \(keys) — sauvegardez-la / back it up.")
            print("Next: relais repo publish \(repo) --keys \(keys)")
        }
    }

    /// `relais repo rotate REPO ROLE --keys KEYS`.
    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a role's keys: new root signed by the old and new root keys, then a new publish.")

        @Argument(help: "The repository folder.") var repo: String
        @Argument(help: "root, targets, snapshot or timestamp.") var role: HubRole
        @Option(help: "The keys folder made by `relais repo init`.") var keys: String
        @OptionGroup var expiry: ExpiryOptions

        func run() throws {
            let summary = try HubRepository.rotate(repo: repo, keys: keys, role: role, now: RepoCommand.now(), expiries: expiry.expiries)
            print("\(role.rawValue): new key(s) \(summary.newKeyIDs.map { String($0.prefix(12)) }.joined(separator: " ")); old ones moved to \(keys)/retired/")
            RepoCommand.report(summary.publish)
        }
    }

    /// `relais repo verify REPO --trust ROOT.json`.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the repository as a box would (TUF client from a trusted root, every target downloaded and hashed).")

        @Argument(help: "The repository folder.") var repo: String
        @Option(help: "The root.json the boxes trust (e.g. a copy of metadata/1.root.json).") var trust: String

        func run() async throws {
            let report = try await HubRepository.verify(repo: repo, trustedRoot: trust, now: RepoCommand.now())
            print("Vérifié / verified: root \(report.rootVersion), timestamp \(report.timestampVersion), snapshot \(report.snapshotVersion), targets \(report.targetsVersion); \(report.targets.count) target(s) downloaded and hashed")
            print("first expiry \(UTCTime.format(report.earliestExpiry))")
            if report.unpublishedChanges { print("note: added or removed targets are not published yet; run relais repo publish") }
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    static func report(_ summary: PublishSummary) {
        let root = summary.rootRenewed ? "root \(summary.rootVersion) (new)" : "root \(summary.rootVersion)"
        let bins = summary.binsWritten.isEmpty ? "" : ", \(summary.binsWritten.count) licence bin(s) signed"
        print("Publié / published: \(summary.targetCount) target(s); \(root), targets \(summary.targetsVersion), snapshot \(summary.snapshotVersion), timestamp \(summary.timestampVersion)\(bins)")
        print("timestamp.json expire \(UTCTime.format(summary.expires[.timestamp] ?? 0)): publish again before then")
    }
}

/// `ROLE=N`, as `--threshold root=2` and `--key-count root=3` take it.
struct RoleNumber: ExpressibleByArgument {
    let role: HubRole
    let number: Int

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let role = HubRole(rawValue: parts[0]), let number = Int(parts[1]) else { return nil }
        self.role = role
        self.number = number
    }
}

extension HubRole: ExpressibleByArgument {}
