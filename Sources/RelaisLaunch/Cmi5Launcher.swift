import Foundation
import RelaisCore
import RelaisStore
import RelaisXAPI

/// cmi5 launches (cmi5 spec, section 8 "Content Launch Mechanisms", 9 and 10 for what the LMS
/// writes): the AU's URL with endpoint, fetch, actor, registration and activityId; the
/// LMS.LaunchData state document; the LMS's `launched` statement; the single-use fetch URL; and
/// `satisfied` when moveOn is met.
public struct Cmi5Launcher: Sendable {
    let service: LaunchService

    public init(service: LaunchService) {
        self.service = service
    }
    var box: Box { service.box }

    /// The course structure of a stored cmi5 bundle version.
    func courseStructure(bundleId: String, version: String) throws -> Cmi5CourseStructure {
        guard let bytes = try box.bundleFileContents(bundleId: bundleId, version: version, path: Cmi5CourseStructure.fileName) else {
            throw LaunchServiceError.unusable("the cmi5 bundle \(bundleId) has no cmi5.xml")
        }
        return try Cmi5CourseStructure(parsing: Array(bytes))
    }

    /// Launches the AU `item` (its IRI), else the AU of the bundle's entry, else the first. In a
    /// course of several AUs the player frames the AU and shows the course's table of contents.
    func launch(manifest: BundleManifest, learner: Learner, origins: LaunchOrigins, item: String? = nil, structure: BundleStructure? = nil) throws -> LaunchOutcome {
        let now = service.clock()
        let course = try courseStructure(bundleId: manifest.id, version: manifest.version)
        let units = course.assignableUnits
        let chosen = item.flatMap { id in units.first { $0.id == id } }
        if let item, chosen == nil { throw LaunchServiceError.unusable("« \(item) » is not an AU of \(manifest.id)") }
        // The AU the bundle opens by default: the one whose URL is the bundle's entry, else the first.
        guard let au = chosen ?? units.first(where: { $0.url.split(separator: "?").first.map(String.init) == manifest.entry }) ?? units.first else {
            throw LaunchServiceError.unusable("cmi5.xml lists no AU")
        }
        // A learner keeps one registration per course (cmi5: the enrolment), across launches.
        let previous = try box.latestLaunch(learnerId: learner.localUserID, bundleId: manifest.id)
        let registration = previous.flatMap { $0.standard == "cmi5" ? $0.registration : nil } ?? StatementID.random()
        let launch = LaunchRecord(
            registration: registration, bundleId: manifest.id, version: manifest.version, learnerId: learner.localUserID,
            createdAt: LaunchService.seconds(now), standard: "cmi5", activityId: au.id, itemId: au.id)
        let actor = try service.actor(of: learner)
        let auURL = Self.auURL(au, manifest: manifest, origins: origins)
        let returnURL = origins.content + BundlePlayer.endPath

        // LMS.LaunchData (cmi5 10.2.1) before the AU can ask for it.
        let contextTemplate: JSONValue = [
            "contextActivities": ["grouping": [["id": .string(course.course.id)]]],
            "extensions": [Cmi5Vocabulary.sessionID: .string(launch.id)],
        ]
        var launchData: [String: JSONValue] = [
            "contextTemplate": contextTemplate,
            "launchMode": "Normal",
            "launchMethod": .string(au.launchMethod.rawValue),
            "moveOn": .string(au.moveOn.rawValue),
            "returnURL": .string(returnURL),
        ]
        if let mastery = au.masteryScore { launchData["masteryScore"] = .number(mastery) }
        if let parameters = au.launchParameters { launchData["launchParameters"] = .string(parameters) }
        if let key = au.entitlementKey { launchData["entitlementKey"] = ["courseStructure": .string(key)] }
        try box.recordLaunch(launch)
        try storeLaunchData(.object(launchData), activityId: au.id, actor: actor, registration: registration, now: now)

        // The LMS's own `launched` statement (cmi5 9.3.1 / 10.2.2).
        var extensions: [String: JSONValue] = [
            Cmi5Vocabulary.sessionID: .string(launch.id),
            Cmi5Vocabulary.launchMode: "Normal",
            Cmi5Vocabulary.launchURL: .string(auURL),
            Cmi5Vocabulary.moveOn: .string(au.moveOn.rawValue),
        ]
        if let parameters = au.launchParameters { extensions[Cmi5Vocabulary.launchParameters] = .string(parameters) }
        if let mastery = au.masteryScore { extensions[Cmi5Vocabulary.masteryScore] = .number(mastery) }
        let launched = StatementFactory(actor: actor, registration: registration, now: now).statement(
            verb: Verb.launched, object: StatementFactory.activity(au.id, name: au.title.preferred() ?? manifest.title.fr, type: au.activityType),
            context: [
                "contextActivities": [
                    "category": [["id": .string(Cmi5Vocabulary.category)]],
                    "grouping": [["id": .string(course.course.id)]],
                ],
                "extensions": .object(extensions),
            ])
        try service.store([launched], now: now)

        // The launch URL (cmi5 8.1).
        var components = URLComponents()
        components.queryItems = [
            URLQueryItem(name: "endpoint", value: "\(origins.portal)/xapi/"),
            URLQueryItem(name: "fetch", value: "\(origins.portal)/cmi5/fetch/\(launch.id)"),
            URLQueryItem(name: "actor", value: String(decoding: actor.serialized(), as: UTF8.self)),
            URLQueryItem(name: "registration", value: registration),
            URLQueryItem(name: "activityId", value: au.id),
        ]
        // URLComponents leaves "+", ":" , "/" , "?" and "@" unescaped in a query; the AU decodes
        // each value with decodeURIComponent, so escape everything but the unreserved characters.
        let query = (components.queryItems ?? []).map { "\($0.name)=\(Self.encode($0.value ?? ""))" }.joined(separator: "&")
        let separator = auURL.contains("?") ? "&" : "?"
        let redirect = auURL + separator + query
        // Several AUs and the AU on the bundle's origin: the player frames it, with the course's
        // table of contents (same origin, so the AU runs as it would in the portal's frame).
        if units.count > 1, redirect.hasPrefix(origins.content + "/b/") {
            let player = service.playerURL(
                mode: "cmi5", launch: launch, manifest: manifest, origins: origins, content: String(redirect.dropFirst(origins.content.count)),
                plan: true, title: "\(manifest.title.fr) — \(au.title.preferred() ?? au.id)")
            return LaunchOutcome(launch: launch, redirect: player)
        }
        return LaunchOutcome(launch: launch, redirect: redirect)
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }

    /// The AU's URL: relative ones on the content origin, absolute ones as written.
    static func auURL(_ au: Cmi5CourseStructure.AU, manifest: BundleManifest, origins: LaunchOrigins) -> String {
        if au.url.hasPrefix("http://") || au.url.hasPrefix("https://") { return au.url }
        let parts = au.url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = LaunchService.contentPath(manifest: manifest, version: manifest.version, path: String(parts[0]))
        return origins.content + path + (parts.count > 1 ? "?" + parts[1] : "")
    }

    /// Writes the LMS.LaunchData state document of the AU for this actor and registration.
    func storeLaunchData(_ document: JSONValue, activityId: String, actor: JSONValue, registration: String, now: Date) throws {
        try box.putState(
            activityId: activityId, agent: actor, registration: registration, stateId: "LMS.LaunchData",
            body: document.serialized(), contentType: "application/json", merge: false, now: now)
    }

    // MARK: fetch (cmi5 8.2)

    /// The fetch URL's answer: the first call gets `{"auth-token": base64(key:secret)}` of a
    /// credential scoped to the launch's actor and registration; any later call an error.
    public func fetch(launchID: String) throws -> JSONValue {
        let now = service.clock()
        switch try box.claimFetch(launchId: launchID, now: LaunchService.seconds(now)) {
        case .unknown:
            return ["error-code": "3", "error-text": "Unknown launch"]
        case .alreadyUsed:
            return ["error-code": "1", "error-text": "Already in use"]
        case .first(let launch):
            let actor = try service.actor(learnerId: launch.learnerId)
            let credential = try box.addLaunchCredential(
                actor: actor, registration: launch.registration,
                expiresAt: LaunchService.millis(now.addingTimeInterval(LaunchService.credentialLifetime)), now: now)
            let token = Data("\(credential.key):\(credential.secret)".utf8).base64EncodedString()
            return ["auth-token": .string(token)]
        }
    }

    // MARK: moveOn (cmi5 9.3.9 satisfied)

    /// Checks the registration's statements against each AU's moveOn and writes `satisfied` for
    /// every block and the course whose AUs all are, once each. Returns the activities newly
    /// satisfied.
    @discardableResult
    func evaluateMoveOn(registration: String) throws -> [String] {
        guard let launch = try box.launches(registration: registration).last, launch.standard == "cmi5" else { return [] }
        if try box.isCmi5Satisfied(registration: registration, activityId: "course") { return [] }
        let course = try courseStructure(bundleId: launch.bundleId, version: launch.version)
        let actor = try service.actor(learnerId: launch.learnerId)
        let actorKey = AgentIdentity.key(of: actor)
        var completed: Set<String> = []
        var passed: Set<String> = []
        for verb in [Verb.completed, Verb.passed] {
            var query: StatementQuery? = StatementQuery(verbId: verb, registration: registration, limit: StatementQuery.maxLimit, ascending: true)
            while let current = query {
                let page = try box.statements(matching: current, scope: nil)
                for bytes in page.statements {
                    guard let statement = try? JSONValue(parsing: bytes), statement["actor"].flatMap(AgentIdentity.key(of:)) == actorKey,
                        let object = statement["object"]?["id"]?.stringValue
                    else { continue }
                    if verb == Verb.completed { completed.insert(object) } else { passed.insert(object) }
                }
                query = page.more
            }
        }
        func satisfied(_ au: Cmi5CourseStructure.AU) -> Bool {
            switch au.moveOn {
            case .completed: completed.contains(au.id)
            case .passed: passed.contains(au.id)
            case .completedAndPassed: completed.contains(au.id) && passed.contains(au.id)
            case .completedOrPassed: completed.contains(au.id) || passed.contains(au.id)
            case .notApplicable: true
            }
        }
        let now = service.clock()
        let factory = StatementFactory(actor: actor, registration: registration, now: now)
        var written: [String] = []
        var statements: [JSONValue] = []
        func visit(_ nodes: [Cmi5CourseStructure.Node]) throws -> Bool {
            var all = true
            for node in nodes {
                switch node {
                case .au(let au): all = satisfied(au) && all
                case .block(let block):
                    let done = try visit(block.children)
                    if done, try box.markCmi5Satisfied(registration: registration, activityId: block.id, now: LaunchService.seconds(now)) {
                        statements.append(satisfiedStatement(factory, id: block.id, type: Cmi5VocabularyType.block, course: course, offset: statements.count, launchID: launch.id))
                        written.append(block.id)
                    }
                    all = done && all
                }
            }
            return all
        }
        if try visit(course.children), try box.markCmi5Satisfied(registration: registration, activityId: "course", now: LaunchService.seconds(now)) {
            statements.append(satisfiedStatement(factory, id: course.course.id, type: Cmi5VocabularyType.course, course: course, offset: statements.count, launchID: launch.id))
            written.append(course.course.id)
        }
        try service.store(statements, now: now)
        return written
    }

    enum Cmi5VocabularyType { case block, course }

    func satisfiedStatement(_ factory: StatementFactory, id: String, type: Cmi5VocabularyType, course: Cmi5CourseStructure, offset: Int, launchID: String)
        -> JSONValue
    {
        factory.statement(
            verb: Verb.satisfied,
            object: StatementFactory.activity(id, name: nil, type: type == .course ? Cmi5Vocabulary.courseType : Cmi5Vocabulary.blockType),
            context: [
                "contextActivities": [
                    "category": [["id": .string(Cmi5Vocabulary.category)]],
                    "grouping": [["id": .string(course.course.id)]],
                ],
                "extensions": [Cmi5Vocabulary.sessionID: .string(launchID)],
            ],
            offsetMilliseconds: Int64(offset))
    }
}
