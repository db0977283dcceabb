import Foundation
import Logging
import RelaisCore
import RelaisStore
import RelaisXAPI

/// Where the device reached the box: the portal and the content origin as it sees them.
public struct LaunchOrigins: Sendable {
    /// e.g. http://relais.local:8080
    public let portal: String
    /// The bundle's own origin, e.g. http://relais.local:20003
    public let content: String

    public init(portal: String, content: String) {
        self.portal = portal
        self.content = content
    }

}

/// What a launch produced: its row and where to send the browser.
public struct LaunchOutcome: Sendable {
    public let launch: LaunchRecord
    /// The player page or the cmi5 AU on the bundle's origin, with its query string.
    public let redirect: String
}

/// Errors of the player's and the AU's calls to the portal.
public enum LaunchServiceError: Error, Equatable {
    case unknownLaunch
    case invalidBody(String)
    case unusable(String)
}

/// Opens bundles for learners: every launch gets a registration, a row and a server-side
/// `launched` statement; then each standard is launched its own way (cmi5 launch URL, SCORM
/// player, HTML5/video/PDF wrapper). Independent of how the learner was identified.
public struct LaunchService: Sendable {
    public let box: Box
    var clock: @Sendable () -> Date = { Date() }

    public init(box: Box) {
        self.box = box
    }

    /// How long a cmi5 launch credential stays valid.
    static let credentialLifetime: TimeInterval = 12 * 3600

    /// Launches `bundle` for `learner`; `origins` are the portal and content origin as the device reached them.
    /// The page it opens (`redirect`) is recorded with the launch, for the portal to frame.
    public func launch(bundle: CatalogEntry, learner: Learner, origins: LaunchOrigins) throws -> LaunchOutcome {
        let manifest = bundle.manifest
        let outcome: LaunchOutcome
        switch manifest.standard {
        case .cmi5: outcome = try Cmi5Launcher(service: self).launch(manifest: manifest, learner: learner, origins: origins)
        case .scorm12, .scorm2004: outcome = try launchScorm(manifest: manifest, learner: learner, origins: origins)
        case .html5, .video, .pdf: outcome = try launchWrapped(manifest: manifest, learner: learner, origins: origins)
        }
        try box.setLaunchFrame(launchId: outcome.launch.id, url: outcome.redirect)
        return outcome
    }



    // MARK: shared

    func actor(of learner: Learner) throws -> JSONValue {
        try box.pseudonymizer().account(forLocalUser: learner.localUserID)
    }

    func actor(learnerId: String) throws -> JSONValue {
        try box.pseudonymizer().account(forLocalUser: learnerId)
    }

    /// Stores statements the box itself writes (authority: the box).
    func store(_ statements: [JSONValue], now: Date) throws {
        guard !statements.isEmpty else { return }
        try box.storeStatements(statements, authority: try box.authority(for: nil), credential: nil, now: now)
    }

    /// The `launched` statement of a non-cmi5 launch: object = the bundle's activity.
    func launchedStatement(manifest: BundleManifest, launch: LaunchRecord, actor: JSONValue, now: Date) -> JSONValue {
        StatementFactory(actor: actor, registration: launch.registration, now: now).statement(
            verb: Verb.launched,
            object: StatementFactory.activity(StatementFactory.activityID(of: manifest), name: manifest.title.fr, type: "http://adlnet.gov/expapi/activities/course"),
            context: ["extensions": ["https://relais.invalid/xapi/extensions/bundle": ["id": .string(manifest.id), "version": .string(manifest.version), "standard": .string(manifest.standard.rawValue)]]])
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970) }

    /// The player page on the bundle's own origin for a launch.
    func playerURL(mode: String, launch: LaunchRecord, manifest: BundleManifest, origins: LaunchOrigins) -> String {
        let items = [
            ("mode", mode), ("api", "\(origins.portal)/lancement/\(launch.id)"),
            ("contenu", Self.contentPath(manifest: manifest, version: launch.version)), ("titre", manifest.title.fr),
        ]
        let query = items.map { "\($0.0)=\(Cmi5Launcher.encode($0.1))" }.joined(separator: "&")
        return "\(origins.content)\(BundlePlayer.path)?\(query)"
    }

    /// `/b/{id}/{version}/{entry}`, percent-encoded, on the bundle's origin.
    static func contentPath(manifest: BundleManifest, version: String, path: String? = nil) -> String {
        ContentPath.file(bundleID: manifest.id, version: version, path: path ?? manifest.entry)
    }

    // MARK: HTML5, video, PDF

    func launchWrapped(manifest: BundleManifest, learner: Learner, origins: LaunchOrigins) throws -> LaunchOutcome {
        let now = clock()
        let launch = LaunchRecord(
            registration: StatementID.random(), bundleId: manifest.id, version: manifest.version, learnerId: learner.localUserID,
            createdAt: Self.seconds(now), standard: manifest.standard.rawValue)
        let launched = launchedStatement(manifest: manifest, launch: launch, actor: try actor(of: learner), now: now)
        try box.recordLaunch(launch)
        try store([launched], now: now)
        return LaunchOutcome(launch: launch, redirect: playerURL(mode: "html5", launch: launch, manifest: manifest, origins: origins))
    }

    /// The wrapper reported that the learner left after `seconds`: one `experienced` statement
    /// with the duration (later reports of the same launch are ignored).
    public func end(launchID: String, seconds: Double) throws {
        guard let launch = try box.launchRecord(id: launchID) else { throw LaunchServiceError.unknownLaunch }
        guard ["html5", "video", "pdf"].contains(launch.standard) else { return }
        let now = clock()
        // Everything that can fail is read first: once the launch is marked ended, a later report
        // is ignored, so the statement must not be lost to an error after that write.
        let manifest = try self.manifest(of: launch)
        let actor = try actor(learnerId: launch.learnerId)
        guard try box.markLaunchEnded(launchId: launchID, now: Self.seconds(now)) else { return }
        let elapsed = seconds.isFinite ? min(max(0, seconds), now.timeIntervalSince1970 - Double(launch.createdAt) + 5) : 0
        let statement = StatementFactory(actor: actor, registration: launch.registration, now: now).statement(
            verb: Verb.experienced,
            object: StatementFactory.activity(
                StatementFactory.activityID(of: manifest), name: manifest.title.fr, type: "http://adlnet.gov/expapi/activities/course"),
            result: ["duration": .string(LaunchDuration.iso(seconds: elapsed))])
        try store([statement], now: now)
    }

    /// The manifest of the version a launch opened (it may no longer be the active one).
    public func manifest(of launch: LaunchRecord) throws -> BundleManifest {
        guard let data = try box.storedManifest(bundleId: launch.bundleId, version: launch.version) else { throw LaunchServiceError.unusable("the bundle \(launch.bundleId) \(launch.version) is no longer on the box") }
        return try BundleManifest.parse(data)
    }

    // MARK: SCORM

    func launchScorm(manifest: BundleManifest, learner: Learner, origins: LaunchOrigins) throws -> LaunchOutcome {
        let now = clock()
        let runtime = ScormRuntime(version: manifest.standard == .scorm12 ? .scorm12 : .scorm2004)
        let previous = try box.latestScormAttempt(learnerId: learner.localUserID, bundleId: manifest.id)
        let resuming = previous.map { $0.version == manifest.version && $0.standard == manifest.standard.rawValue && runtime.isResumable($0) } ?? false
        let registration = resuming ? previous!.registration : StatementID.random()
        let launch = LaunchRecord(
            registration: registration, bundleId: manifest.id, version: manifest.version, learnerId: learner.localUserID,
            createdAt: Self.seconds(now), standard: manifest.standard.rawValue)
        let accountName = try box.pseudonymizer().accountName(forLocalUser: learner.localUserID)
        let stored = resuming ? previous!.elements : [:]
        var model = runtime.initialModel(
            stored: stored, resuming: resuming, learner: learner, learnerAccountName: accountName, masteryScore: nil, launchData: nil)
        for (key, value) in stored where key.hasPrefix("_relais.") { model[key] = value }
        model[ScormRuntime.entryKey] = model[version: runtime]
        try box.recordLaunch(launch)
        try box.updateScormAttempt(registration: registration) { _ in
            ScormAttemptRecord(
                registration: registration, learnerId: learner.localUserID, bundleId: manifest.id, version: manifest.version,
                standard: manifest.standard.rawValue, cmi: model, initialized: false, terminated: false, updatedAt: Self.seconds(now))
        }
        try store([launchedStatement(manifest: manifest, launch: launch, actor: try actor(of: learner), now: now)], now: now)
        return LaunchOutcome(launch: launch, redirect: playerURL(mode: manifest.standard.rawValue, launch: launch, manifest: manifest, origins: origins))
    }

    /// The data model the player starts with (`GET /lancement/{id}/cmi`).
    public func scormModel(launchID: String) throws -> [String: String] {
        guard let launch = try box.launchRecord(id: launchID), launch.standard.hasPrefix("scorm"),
            let attempt = try box.scormAttempt(registration: launch.registration)
        else { throw LaunchServiceError.unknownLaunch }
        return attempt.elements.filter { !$0.key.hasPrefix("_relais.") }
    }

    /// One commit of the player (`POST /lancement/{id}/cmi`): `event` is `initialize`, `commit`
    /// or `finish`; `cmi` the data model as the SCO left it. Returns the statements written.
    @discardableResult
    public func commitScorm(launchID: String, event: String, cmi: [String: String]) throws -> [JSONValue] {
        guard ["initialize", "commit", "finish"].contains(event) else { throw LaunchServiceError.invalidBody("event must be initialize, commit or finish") }
        guard let launch = try box.launchRecord(id: launchID), launch.standard.hasPrefix("scorm") else { throw LaunchServiceError.unknownLaunch }
        let runtime = ScormRuntime(version: launch.standard == "scorm12" ? .scorm12 : .scorm2004)
        let now = clock()
        // A launch superseded by a newer one of the same registration may still send its last
        // commit (a tab left open): it must not overwrite the newer session's data.
        if let latest = try box.launches(registration: launch.registration).last, latest.id != launch.id {
            throw LaunchServiceError.unusable("a newer launch of this attempt is running")
        }
        // Read before the attempt is written: an error after that write would lose the statements
        // for good (a retry finds nothing changed).
        let manifest = try self.manifest(of: launch)
        let factory = StatementFactory(actor: try actor(learnerId: launch.learnerId), registration: launch.registration, now: now)
        let change = try box.updateScormAttempt(registration: launch.registration) { stored in
            guard var attempt = stored else { throw LaunchServiceError.unknownLaunch }
            let before = attempt.elements
            if before[ScormRuntime.finishedForKey] == launchID { return attempt }  // nothing after Terminate
            var after = runtime.merged(stored: before, sent: cmi)
            after[ScormRuntime.initializedForKey] = launchID
            if event == "finish" {
                after[ScormRuntime.finishedForKey] = launchID
                let total = (Double(before[ScormRuntime.totalSecondsKey] ?? "") ?? 0) + (runtime.sessionSeconds(after) ?? 0)
                after[ScormRuntime.totalSecondsKey] = String(total)
                attempt.terminated = true
            }
            attempt.initialized = true
            attempt.elements = after
            attempt.updatedAt = Self.seconds(now)
            return attempt
        }
        let object = StatementFactory.activity(
            StatementFactory.activityID(of: manifest), name: manifest.title.fr, type: "http://adlnet.gov/expapi/activities/course")
        let statements = runtime.statements(
            event: event, launchID: launchID, before: change.before?.elements ?? [:], after: change.after.elements, factory: factory, object: object)
        try store(statements, now: now)
        return statements
    }
}

extension Dictionary where Key == String, Value == String {
    /// The `cmi.entry` / `cmi.core.entry` of a model.
    fileprivate subscript(version runtime: ScormRuntime) -> String? {
        self[runtime.version == .scorm12 ? "cmi.core.entry" : "cmi.entry"]
    }
}
