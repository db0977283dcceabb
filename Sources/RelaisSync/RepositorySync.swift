import Foundation
import Logging
import RelaisCore
import RelaisRepository
import RelaisStore

/// What a sync did.
public struct SyncReport: Sendable {
    public var source: String
    public var rootVersion: Int64 = 0
    public var targetsVersion: Int64 = 0
    /// False when the repository had not changed since the last sync (only timestamp.json read).
    public var metadataChanged = false
    public var licence: LicenceChange = .unchanged
    /// Bundles installed by this sync, `id version`.
    public var installed: [String] = []
    public var relisted: [String] = []
    public var unlisted: [String] = []
    /// Bundles unlisted by an earlier sync whose files were removed now.
    public var collected: [String] = []
    public var notLicensed: [String] = []
    public var skippedMalformed: [String] = []
    public var downloadedBytes: Int64 = 0
    /// Delegated roles (licence hash bins) downloaded by this sync; cached ones that were still
    /// current are not listed.
    public var delegatedRolesFetched: [String] = []

    public enum LicenceChange: String, Sendable { case unchanged, updated, removed, none }
}

/// Brings the box up to date with the signed repository: TUF refresh, licence document, then
/// the bundles this school may use, downloaded (resumably) and imported one by one. Each import
/// is atomic, so a sync cut at any point leaves the box serving what it served before, plus
/// whatever finished.
public struct RepositorySync {
    let box: Box
    let logger: Logger

    public init(box: Box, logger: Logger) {
        self.box = box
        self.logger = logger
    }

    /// Runs one sync from `source`. `clock` is the system clock; expiries are checked against it
    /// unless it is earlier than the newest time the box verified.
    public func run(from source: SyncSource, clock: @Sendable () -> Date = { Date() }) async throws -> SyncReport {
        let lock = try StoreLock(box.directory, path: box.directory.syncLockPath)
        defer { withExtendedLifetime(lock) {} }
        let tuf = box.directory.tufPath
        guard FileManager.default.fileExists(atPath: tuf + "/root.json") else { throw SyncError.noTrustedRoot(tuf) }
        // The clock is trusted only once metadata verified against it: metadata is never valid
        // more than a timestamp lifetime (7 days) ahead of the hub's own clock, so a clock set
        // years ahead fails the refresh and never becomes the trusted time.
        let now = try box.trustedNow(clock: clock())
        do {
            let report = try await sync(from: source, now: now)
            try box.recordSyncSuccess(
                verifiedAt: now, source: source.description, rootVersion: report.rootVersion, targetsVersion: report.targetsVersion)
            return report
        } catch let SyncError.bundlesFailed(failures) {
            // The metadata was verified; only some bundles failed: remember both.
            try box.recordSyncFailure(at: now, source: source.description, reason: SyncError.bundlesFailed(failures).description)
            throw SyncError.bundlesFailed(failures)
        } catch {
            try? box.recordSyncFailure(at: now, source: source.description, reason: "\(error)")
            throw error
        }
    }

    private func sync(from source: SyncSource, now: Int64) async throws -> SyncReport {
        var report = SyncReport(source: source.description)
        let updater = try TUFUpdater(metadataDirectory: box.directory.tufPath, transport: source.transport(), now: now)
        let refresh = try await updater.refresh()
        report.rootVersion = refresh.rootVersion
        report.targetsVersion = refresh.targetsVersion
        report.metadataChanged = refresh.downloadedSnapshotOrTargets

        // Bundles unlisted by an earlier sync have had their grace: remove their files.
        report.collected = try box.collectUnlisted(before: now)

        let uai = try UAI(box.identity().uai)
        let downloads = Downloads(path: box.directory.partialDownloadsPath)
        try downloads.prepare()
        let licence = try await syncLicence(uai: uai, updater: updater, downloads: downloads, now: now, report: &report)
        report.delegatedRolesFetched = updater.fetchedRoles

        let plan = SyncPlan(targets: refresh.targets, licence: licence, installed: try box.repositoryBundles(), now: now)
        report.notLicensed = plan.notLicensed
        report.skippedMalformed = plan.malformed
        for path in plan.malformed { logger.warning("repository target skipped: path and custom metadata disagree", metadata: ["target": "\(path)"]) }

        try box.relist(plan.relist)
        report.relisted = plan.relist
        try box.unlist(plan.unlist, at: now)
        report.unlisted = plan.unlist

        var failures: [String: String] = [:]
        let limits = try box.archiveLimits()
        // Download the next bundle while the previous one imports (the import is CPU work on
        // other threads; the download mostly waits on the network): at most one import runs and
        // one waits, so at most two finished downloads sit on disk.
        let imports = ImportPipeline(box: box, limits: limits, logger: logger)
        for offer in plan.fetch {
            let target = offer.target
            let file = downloads.file(for: target.sha256)
            do {
                try DiskGuard(box.directory).checkRoom(for: offer.length, what: "the download of \(target.path)")
                try await updater.download(target.path, to: file.complete, partial: file.partial)
                report.downloadedBytes += offer.length
            } catch {
                logger.error("bundle download failed", metadata: ["target": "\(target.path)", "error": "\(error)"])
                failures[target.bundleID] = "\(error)"
                // The repository is gone (network down, stick pulled): the next bundles would
                // only wait for their own time-outs. The partial file stays for the next sync.
                if case .unreachable? = error as? TransportError { break }
                continue
            }
            await imports.waitForAllButOne()
            imports.start(target, file: file.complete)
        }
        for outcome in await imports.finish() {
            switch outcome {
            case .installed(let line): report.installed.append(line)
            case .failed(let id, let why): failures[id] = why
            }
        }
        downloads.removeAll(except: Set(plan.fetch.map(\.target.sha256)))
        if !failures.isEmpty { throw SyncError.bundlesFailed(failures) }
        return report
    }

    /// Fetches `licences/{UAI}.json` when its hash differs from the stored one, validates it for
    /// this UAI and stores it; returns the document in force.
    private func syncLicence(
        uai: UAI, updater: TUFUpdater, downloads: Downloads, now: Int64, report: inout SyncReport
    ) async throws -> LicenceDocument? {
        let name = "licences/\(uai.value).json"
        let stored = try box.storedLicence()
        // Top-level targets, else the delegations: with licence hash bins only this UAI's bin is fetched.
        guard let target = try await updater.findTarget(name), let sha256 = target.hashes["sha256"] else {
            if stored != nil {
                try box.removeLicence()
                report.licence = .removed
            } else {
                report.licence = .none
            }
            return nil
        }
        if let stored, stored.sha256 == sha256 {
            return try? LicenceDocument(json: stored.document, expectedUAI: uai)
        }
        let file = downloads.file(for: sha256)
        try await updater.download(name, to: file.complete, partial: file.partial)
        defer { try? FileManager.default.removeItem(atPath: file.complete) }
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: file.complete)))
        let document: LicenceDocument
        do { document = try LicenceDocument(json: bytes, expectedUAI: uai) } catch { throw SyncError.licenceRefused("\(error)") }
        try box.storeLicence(bytes, sha256: sha256, now: now)
        report.licence = .updated
        return document
    }
}

/// `DIR/sync/partial`: a download in progress is `HASH.part` (kept across restarts, resumed with
/// an HTTP Range request), a finished one `HASH.done` until it is imported.
struct Downloads {
    let path: String

    func prepare() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    func file(for sha256: String) -> (partial: String, complete: String) {
        (path + "/" + sha256 + ".part", path + "/" + sha256 + ".done")
    }

    /// Removes downloads no longer needed (their target left the repository).
    func removeAll(except keep: Set<String>) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names where !keep.contains(String(name.prefix { $0 != "." })) {
            try? FileManager.default.removeItem(atPath: path + "/" + name)
        }
    }
}

/// Imports finished downloads one after the other on a thread of their own, so the next download
/// proceeds meanwhile. Each import is atomic (BundleImporter); the downloaded file is removed
/// whatever the outcome.
final class ImportPipeline {
    enum Outcome: Sendable {
        case installed(String)
        case failed(bundleID: String, reason: String)
    }

    private let box: Box
    private let limits: ArchiveLimits
    private let logger: Logger
    private let queue = DispatchQueue(label: "relais.sync.import")
    private var running: [Task<Outcome, Never>] = []

    init(box: Box, limits: ArchiveLimits, logger: Logger) {
        self.box = box
        self.limits = limits
        self.logger = logger
    }

    /// Queues the import of `file`, the verified download of `target`.
    func start(_ target: RepositoryTarget, file: String) {
        let (box, limits, logger, queue) = (box, limits, logger, queue)
        running.append(Task {
            await withCheckedContinuation { continuation in
                queue.async {
                    let outcome: Outcome
                    do {
                        let result = try box.importer().importBundle(at: file, origin: .repository, target: target, limits: limits)
                        outcome = .installed("\(result.manifest.id) \(result.manifest.version)")
                    } catch {
                        logger.error("bundle import failed", metadata: ["target": "\(target.path)", "error": "\(error)"])
                        outcome = .failed(bundleID: target.bundleID, reason: "\(error)")
                    }
                    // Removed before resuming: `sync --once` may exit as soon as the last import
                    // resumes, which left the whole archive in sync/partial until the next sync.
                    try? FileManager.default.removeItem(atPath: file)
                    continuation.resume(returning: outcome)
                }
            }
        })
    }

    /// Waits until at most one import is queued or running.
    func waitForAllButOne() async {
        guard running.count >= 2 else { return }
        _ = await running[running.count - 2].value
    }

    /// Waits for every import; their outcomes in the order they were queued.
    func finish() async -> [Outcome] {
        var outcomes: [Outcome] = []
        for task in running { outcomes.append(await task.value) }
        running.removeAll()
        return outcomes
    }
}
