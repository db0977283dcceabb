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
    /// `item` chooses the SCO (SCORM item identifier) or AU (cmi5 AU IRI) to open, as listed by
    /// `structure(of:)`; nil opens the first one (for cmi5, the AU of the bundle's entry). An id
    /// the bundle does not have is refused (`LaunchServiceError.unusable`), nothing recorded.
    /// The page it opens (`redirect`) is recorded with the launch, for the portal to frame.
    public func launch(bundle: CatalogEntry, learner: Learner, origins: LaunchOrigins, item: String? = nil) throws -> LaunchOutcome {
        try launch(manifest: bundle.manifest, learner: learner, origins: origins, item: item)
    }

    func launch(manifest: BundleManifest, learner: Learner, origins: LaunchOrigins, item: String?) throws -> LaunchOutcome {
        let structure = try bundleStructure(manifest)
        var chosen: BundleStructureEntry?
        if let item {
            guard let found = structure.entry(item) else {
                throw LaunchServiceError.unusable(
                    "« \(item) » is not a SCO or AU of \(manifest.id) \(manifest.version); `relais bundle inspect --json` lists its structure")
            }
            chosen = found
        }
        let outcome: LaunchOutcome
        switch manifest.standard {
        case .cmi5:
            outcome = try Cmi5Launcher(service: self).launch(manifest: manifest, learner: learner, origins: origins, item: chosen?.id, structure: structure)
        case .scorm12, .scorm2004:
            outcome = try launchScorm(manifest: manifest, learner: learner, origins: origins, entry: chosen ?? Self.defaultEntry(structure, manifest: manifest), structure: structure)
        case .html5, .video, .pdf:
            outcome = try launchWrapped(manifest: manifest, learner: learner, origins: origins)
        }
        try box.setLaunchFrame(launchId: outcome.launch.id, url: outcome.redirect)
        return outcome
    }

    /// The launchable entries of a bundle, in the package's order: the SCOs (SCORM items with a
    /// resource), the AUs (cmi5), or the bundle itself (HTML5, video, PDF). Read from the stored
    /// imsmanifest.xml / cmi5.xml of the bundle's version.
    public func structure(of bundle: CatalogEntry) throws -> [BundleStructureEntry] {
        try bundleStructure(bundle.manifest).entries
    }

    /// The activity id statements give the whole course (the SCORM package's, the cmi5 course's):
    /// what a course-wide rollup (`completed`, `satisfied`) is about.
    public func courseActivityID(of bundle: CatalogEntry) throws -> String {
        if bundle.manifest.standard == .cmi5 {
            return try Cmi5Launcher(service: self).courseStructure(bundleId: bundle.manifest.id, version: bundle.manifest.version).course.id
        }
        return StatementFactory.activityID(of: bundle.manifest)
    }

    /// The entry a launch without `item` opens: the one whose file is the bundle's `entry` (so
    /// `bundle pack --entry` still chooses), else the first. Launches and SCORM attempts recorded
    /// before content structure (no item) belong to it.
    static func defaultEntry(_ structure: BundleStructure, manifest: BundleManifest) -> BundleStructureEntry {
        structure.entries.first { entry in
            let path = String(entry.launch.prefix { $0 != "?" && $0 != "#" })
            return (path.removingPercentEncoding ?? path) == manifest.entry
        } ?? structure.entries[0]
    }

    /// The structure of a stored bundle version. A SCORM bundle without a readable imsmanifest.xml
    /// (a folder bundle that declares SCORM) is one entry, its `entry`, as before content structure.
    func bundleStructure(_ manifest: BundleManifest) throws -> BundleStructure {
        do {
            let structure = try BundleStructure.of(manifest) { path in
                try box.bundleFileContents(bundleId: manifest.id, version: manifest.version, path: path).map { Array($0) }
            }
            return structure.entries.isEmpty ? .single(manifest) : structure
        } catch let error as PackagingError {
            if manifest.standard == .cmi5 { throw LaunchServiceError.unusable("the cmi5 bundle \(manifest.id) cannot be launched: \(error)") }
            return .single(manifest)
        }
    }

    /// What a launch needs to know of its neighbours, for the player's table of contents and
    /// navigation requests (`GET /lancement/{id}/plan`): the entries, the current one, flow and
    /// choice, and which SCOs this learner completed.
    public func plan(launchID: String) throws -> JSONValue {
        guard let launch = try box.launchRecord(id: launchID) else { throw LaunchServiceError.unknownLaunch }
        let manifest = try self.manifest(of: launch)
        let structure = try bundleStructure(manifest)
        let current = launch.itemId ?? Self.defaultEntry(structure, manifest: manifest).id
        var completed: Set<String> = []
        if launch.standard.hasPrefix("scorm") {
            let runtime = ScormRuntime(version: launch.standard == "scorm12" ? .scorm12 : .scorm2004)
            let first = Self.defaultEntry(structure, manifest: manifest).id
            for attempt in try box.scormAttempts(learnerId: launch.learnerId, bundleId: launch.bundleId) where runtime.isCompleted(attempt.elements) {
                completed.insert(attempt.itemId ?? first)
            }
        }
        let entries: [JSONValue] = structure.entries.map { entry in
            [
                "id": .string(entry.id), "title": .string(entry.title), "visible": .bool(entry.visible),
                "groups": .array(entry.groups.map { .string($0.title) }), "completed": .bool(completed.contains(entry.id)),
            ]
        }
        return [
            "item": .string(current), "title": .string(manifest.title.fr), "flow": .bool(structure.flow), "choice": .bool(structure.choice),
            "entries": .array(entries),
        ]
    }

    /// The player asks for another SCO/AU of the same bundle (table of contents, previous/next,
    /// `adl.nav.request`): a new launch of that item for the same learner, on the bundle version
    /// now active (it must still be licensed). Returns the new launch.
    public func launchItem(from launchID: String, item: String, origins: LaunchOrigins) throws -> LaunchOutcome {
        guard let launch = try box.launchRecord(id: launchID) else { throw LaunchServiceError.unknownLaunch }
        guard let entry = try box.catalogEntry(id: launch.bundleId, at: try box.trustedNow()), entry.licensed else {
            throw LaunchServiceError.unusable("the bundle \(launch.bundleId) can no longer be opened on this box")
        }
        guard let uuid = UUID(uuidString: launch.learnerId), let learner = try box.learner(id: uuid) else {
            throw LaunchServiceError.unusable("the learner of this launch is no longer on the box")
        }
        // Within a séance, only while it runs; the new launch joins the séance's table.
        if let link = try box.seanceOfLaunch(launchId: launchID), link.seance.state != .enCours {
            throw LaunchServiceError.unusable("the séance of this launch has ended")
        }
        let outcome = try self.launch(bundle: entry, learner: learner, origins: origins, item: item)
        try box.inheritSeanceLaunch(from: launchID, to: outcome.launch)
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

    /// The player page on the bundle's own origin for a launch. `content` is what it frames
    /// (default: the bundle's entry), a path on the bundle's origin with its query string kept;
    /// `plan`: the bundle has several entries, so the player shows its table of contents.
    func playerURL(mode: String, launch: LaunchRecord, manifest: BundleManifest, origins: LaunchOrigins, content: String? = nil, plan: Bool = false, title: String? = nil) -> String {
        var items = [
            ("mode", mode), ("api", "\(origins.portal)/lancement/\(launch.id)"),
            ("contenu", content ?? Self.contentPath(manifest: manifest, version: launch.version)), ("titre", title ?? manifest.title.fr),
        ]
        if plan { items.append(("plan", "1")) }
        let query = items.map { "\($0.0)=\(Cmi5Launcher.encode($0.1))" }.joined(separator: "&")
        return "\(origins.content)\(BundlePlayer.path)?\(query)"
    }

    /// A launch URL of the package (`dir/page.html?a=b#c`, as the manifest joins href and
    /// parameters) as a path on the bundle's origin: the path percent-encoded segment by
    /// segment, the query and fragment kept exactly as written.
    static func contentURL(launch: String, manifest: BundleManifest, version: String) throws -> String {
        if ScormManifest.isAbsoluteURL(launch) || launch.hasPrefix("//") {
            throw LaunchServiceError.unusable("« \(launch) » is outside the bundle: the box launches only content it holds")
        }
        let split = launch.firstIndex { $0 == "?" || $0 == "#" } ?? launch.endIndex
        let rawPath = String(launch[..<split])
        let path = rawPath.removingPercentEncoding ?? rawPath
        return contentPath(manifest: manifest, version: version, path: path) + launch[split...]
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

    func launchScorm(manifest: BundleManifest, learner: Learner, origins: LaunchOrigins, entry: BundleStructureEntry, structure: BundleStructure) throws -> LaunchOutcome {
        let now = clock()
        let runtime = ScormRuntime(version: manifest.standard == .scorm12 ? .scorm12 : .scorm2004)
        let multi = structure.entries.count > 1
        let content = try Self.contentURL(launch: entry.launch, manifest: manifest, version: manifest.version)
        // One attempt per SCO: the learner's latest attempt of this item (attempts recorded
        // before content structure belong to the first SCO).
        let previous = try box.latestScormAttempt(
            learnerId: learner.localUserID, bundleId: manifest.id, itemId: entry.id, orUnmarked: entry.id == Self.defaultEntry(structure, manifest: manifest).id)
        let resuming = previous.map { $0.version == manifest.version && $0.standard == manifest.standard.rawValue && runtime.isResumable($0) } ?? false
        let registration = resuming ? previous!.registration : StatementID.random()
        let launch = LaunchRecord(
            registration: registration, bundleId: manifest.id, version: manifest.version, learnerId: learner.localUserID,
            createdAt: Self.seconds(now), standard: manifest.standard.rawValue, itemId: entry.id)
        let accountName = try box.pseudonymizer().accountName(forLocalUser: learner.localUserID)
        let stored = resuming ? previous!.elements : [:]
        let mastery = runtime.version == .scorm12 ? entry.masteryScore : entry.scaledPassingScore.map { ScormRuntime.decimal($0) }
        var model = runtime.initialModel(
            stored: stored, resuming: resuming, learner: learner, learnerAccountName: accountName, masteryScore: mastery, launchData: entry.launchData)
        runtime.applyStructure(entry, to: &model)
        for (key, value) in stored where key.hasPrefix("_relais.") { model[key] = value }
        model[ScormRuntime.entryKey] = model[version: runtime]
        let asset = entry.scormType == "asset"
        if asset {
            // An asset never talks to the run-time API: delivering it completes it (SCORM 2004
            // SN: the LMS sets the attempt's completion for an asset), so the package's rollup
            // can count it.
            model[runtime.statusElement] = "completed"
        }
        let actor = try actor(of: learner)
        try box.recordLaunch(launch)
        try box.updateScormAttempt(registration: registration) { _ in
            ScormAttemptRecord(
                registration: registration, learnerId: learner.localUserID, bundleId: manifest.id, version: manifest.version,
                standard: manifest.standard.rawValue, cmi: model, initialized: false, terminated: asset, updatedAt: Self.seconds(now), itemId: entry.id)
        }
        var launched = launchedStatement(manifest: manifest, launch: launch, actor: actor, now: now)
        if multi, case .object(var members) = launched {
            members["object"] = Self.scoActivity(entry, manifest: manifest)
            members["context"] = .object([
                "registration": .string(registration),
                "contextActivities": Self.scoContextActivities(manifest: manifest),
                "extensions": launched["context"]?["extensions"] ?? [:],
            ])
            launched = .object(members)
        }
        var statements = [launched]
        if asset {
            statements += try rollupStatements(manifest: manifest, structure: structure, learnerId: learner.localUserID, registration: registration, actor: actor, now: now, offset: 1)
        }
        try store(statements, now: now)
        let redirect = playerURL(
            mode: manifest.standard.rawValue, launch: launch, manifest: manifest, origins: origins, content: content, plan: multi,
            title: multi ? "\(manifest.title.fr) — \(entry.title)" : nil)
        return LaunchOutcome(launch: launch, redirect: redirect)
    }

    /// The SCO's activity id in a multi-SCO package: the course's id, `/sco/`, the item identifier.
    static func scoActivityID(_ itemId: String, manifest: BundleManifest) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;?#"))
        return StatementFactory.activityID(of: manifest) + "/sco/" + (itemId.addingPercentEncoding(withAllowedCharacters: allowed) ?? itemId)
    }

    static func scoActivity(_ entry: BundleStructureEntry, manifest: BundleManifest) -> JSONValue {
        StatementFactory.activity(scoActivityID(entry.id, manifest: manifest), name: entry.title, type: ScormVocabulary.scoType)
    }

    /// A SCO's statements: the course is their parent and grouping.
    static func scoContextActivities(manifest: BundleManifest) -> JSONValue {
        let course = StatementFactory.activity(StatementFactory.activityID(of: manifest), name: manifest.title.fr, type: "http://adlnet.gov/expapi/activities/course")
        return ["parent": [course], "grouping": [course], "category": [["id": .string(ScormVocabulary.category)]]]
    }

    /// The package's completion rollup (the one rollup the box does): when every SCO of a
    /// multi-SCO package has an attempt completed by this learner, one `completed` statement for
    /// the course, once (the attempt that completed it keeps a mark).
    func rollupStatements(
        manifest: BundleManifest, structure: BundleStructure, learnerId: String, registration: String, actor: JSONValue, now: Date, offset: Int64
    ) throws -> [JSONValue] {
        guard structure.entries.count > 1 else { return [] }
        let runtime = ScormRuntime(version: manifest.standard == .scorm12 ? .scorm12 : .scorm2004)
        let attempts = try box.scormAttempts(learnerId: learnerId, bundleId: manifest.id)
        if attempts.contains(where: { $0.elements[ScormRuntime.packageCompletedKey] != nil }) { return [] }
        let first = Self.defaultEntry(structure, manifest: manifest).id
        var done: Set<String> = []
        for attempt in attempts where attempt.version == manifest.version && runtime.isCompleted(attempt.elements) {
            done.insert(attempt.itemId ?? first)
        }
        guard structure.entries.allSatisfy({ done.contains($0.id) }) else { return [] }
        var marked = false
        try box.updateScormAttempt(registration: registration) { stored in
            guard var attempt = stored else { throw LaunchServiceError.unknownLaunch }
            var elements = attempt.elements
            if elements[ScormRuntime.packageCompletedKey] == nil {
                elements[ScormRuntime.packageCompletedKey] = String(Self.seconds(now))
                marked = true
            }
            attempt.elements = elements
            return attempt
        }
        guard marked else { return [] }
        let course = StatementFactory.activity(StatementFactory.activityID(of: manifest), name: manifest.title.fr, type: "http://adlnet.gov/expapi/activities/course")
        return [
            StatementFactory(actor: actor, registration: registration, now: now).statement(
                verb: Verb.completed, object: course, result: ["completion": true],
                context: ["contextActivities": ["category": [["id": .string(ScormVocabulary.category)]]]], offsetMilliseconds: offset)
        ]
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
        let structure = try bundleStructure(manifest)
        let entry = launch.itemId.flatMap(structure.entry) ?? Self.defaultEntry(structure, manifest: manifest)
        let multi = structure.entries.count > 1
        let actor = try actor(learnerId: launch.learnerId)
        let factory = StatementFactory(actor: actor, registration: launch.registration, now: now)
        let change = try box.updateScormAttempt(registration: launch.registration) { stored in
            guard var attempt = stored else { throw LaunchServiceError.unknownLaunch }
            let before = attempt.elements
            if before[ScormRuntime.finishedForKey] == launchID { return attempt }  // nothing after Terminate
            var after = runtime.merged(stored: before, sent: cmi)
            runtime.evaluate(&after, entry: entry)
            // Marked in the same write as the data, so a retry cannot send them twice.
            for index in runtime.newlyAnswered(before: before, after: after) { after[ScormRuntime.answeredKey(index)] = "1" }
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
        let object = multi ? Self.scoActivity(entry, manifest: manifest) : StatementFactory.activity(
            StatementFactory.activityID(of: manifest), name: manifest.title.fr, type: "http://adlnet.gov/expapi/activities/course")
        var context: [String: JSONValue] = ["contextActivities": ["category": [["id": .string(ScormVocabulary.category)]]]]
        if multi { context["contextActivities"] = Self.scoContextActivities(manifest: manifest) }
        let before = change.before?.elements ?? [:]
        var statements = runtime.statements(
            event: event, launchID: launchID, before: before, after: change.after.elements, factory: factory, object: object, context: context)
        // Interactions: one `answered` statement per interaction record, the first commit that
        // carries its response or result; the attempt remembers which were sent.
        statements += runtime.answeredStatements(
            before: before, after: change.after.elements, factory: factory,
            sco: object, course: StatementFactory.activity(StatementFactory.activityID(of: manifest), name: manifest.title.fr, type: "http://adlnet.gov/expapi/activities/course"),
            offset: Int64(statements.count))
        if runtime.isCompleted(change.after.elements) {
            statements += try rollupStatements(
                manifest: manifest, structure: structure, learnerId: launch.learnerId, registration: launch.registration, actor: actor, now: now,
                offset: Int64(statements.count))
        }
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
