import Foundation
import GRDB
import RelaisXAPI
import RelaisCore

/// One launch of a bundle by a learner.
public struct LaunchRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "launch"
    /// Also the cmi5 session id and the bearer token of the player's endpoints: random, unguessable.
    public var id: String
    /// The xAPI registration of every statement of this launch.
    public var registration: String
    public var bundleId: String
    public var version: String
    public var learnerId: String
    public var createdAt: Int64
    /// The bundle's standard (`cmi5`, `scorm12`, `scorm2004`, `html5`, `video`, `pdf`).
    public var standard: String
    /// cmi5: the AU's activity id.
    public var activityId: String?
    /// cmi5: when the single-use fetch URL was used.
    public var fetchedAt: Int64?
    /// When the player reported that the learner left.
    public var endedAt: Int64?
    /// The page the portal frames for this launch (player or cmi5 AU on the bundle's origin).
    public var frameUrl: String?
    /// The SCO (SCORM item identifier) or AU (cmi5 AU IRI) the launch opened, or the bundle id
    /// for HTML5/video/PDF; nil for launches recorded before content structure (the first entry).
    public var itemId: String?

    public init(
        id: String = StatementID.random(), registration: String, bundleId: String, version: String, learnerId: String,
        createdAt: Int64, standard: String, activityId: String? = nil, itemId: String? = nil
    ) {
        self.itemId = itemId
        self.id = id
        self.registration = registration
        self.bundleId = bundleId
        self.version = version
        self.learnerId = learnerId
        self.createdAt = createdAt
        self.standard = standard
        self.activityId = activityId
    }
}

/// The CMI data of one SCORM attempt, as the player last committed it.
public struct ScormAttemptRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "scormAttempt"
    public var registration: String
    public var learnerId: String
    public var bundleId: String
    public var version: String
    public var standard: String
    /// JSON object: data model element → value (strings).
    public var cmi: String
    public var initialized: Bool
    public var terminated: Bool
    public var updatedAt: Int64
    /// The SCO (item identifier) of this attempt; nil for attempts recorded before content
    /// structure (the package's first SCO).
    public var itemId: String?

    public init(
        registration: String, learnerId: String, bundleId: String, version: String, standard: String, cmi: [String: String],
        initialized: Bool = false, terminated: Bool = false, updatedAt: Int64, itemId: String? = nil
    ) {
        self.itemId = itemId
        self.registration = registration
        self.learnerId = learnerId
        self.bundleId = bundleId
        self.version = version
        self.standard = standard
        self.cmi = Self.encode(cmi)
        self.initialized = initialized
        self.terminated = terminated
        self.updatedAt = updatedAt
    }

    /// The data model elements and their values.
    public var elements: [String: String] {
        get {
            guard let object = try? JSONSerialization.jsonObject(with: Data(cmi.utf8)) as? [String: Any] else { return [:] }
            return object.compactMapValues { $0 as? String }
        }
        set { cmi = Self.encode(newValue) }
    }

    static func encode(_ elements: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: elements, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// What claiming a cmi5 fetch URL found.
public enum FetchClaim: Sendable, Equatable {
    /// First use: the launch it belongs to.
    case first(LaunchRecord)
    /// The URL was already used (cmi5: the AU must get an error).
    case alreadyUsed
    /// No such launch.
    case unknown
}

extension Box {
    /// Stores a new launch.
    public func recordLaunch(_ launch: LaunchRecord) throws {
        try database.write { db in try launch.insert(db) }
    }

    /// Records the page the portal frames for a launch.
    public func setLaunchFrame(launchId: String, url: String) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE launch SET frameUrl = ? WHERE id = ?", arguments: [url, launchId])
        }
    }

    /// The launch with this id.
    public func launchRecord(id: String) throws -> LaunchRecord? {
        try database.read { db in try LaunchRecord.fetchOne(db, key: id) }
    }

    /// Every launch of a registration, oldest first.
    public func launches(registration: String) throws -> [LaunchRecord] {
        try database.read { db in
            try LaunchRecord.filter(Column("registration") == registration).order(Column("createdAt"), Column("rowid")).fetchAll(db)
        }
    }

    /// The learner's most recent launch of a bundle, if any.
    public func latestLaunch(learnerId: String, bundleId: String) throws -> LaunchRecord? {
        try database.read { db in
            try LaunchRecord.filter(Column("learnerId") == learnerId && Column("bundleId") == bundleId)
                .order(Column("createdAt").desc, Column("rowid").desc).fetchOne(db)
        }
    }

    /// Uses a cmi5 fetch URL: the first call gets the launch, any later one `.alreadyUsed`.
    public func claimFetch(launchId: String, now: Int64) throws -> FetchClaim {
        try database.write { db in
            guard let launch = try LaunchRecord.fetchOne(db, key: launchId) else { return .unknown }
            try db.execute(sql: "UPDATE launch SET fetchedAt = ? WHERE id = ? AND fetchedAt IS NULL", arguments: [now, launchId])
            return db.changesCount == 1 ? .first(launch) : .alreadyUsed
        }
    }

    /// Records that the player of a launch closed; false when it had already been recorded (so the
    /// `experienced` statement is written once).
    public func markLaunchEnded(launchId: String, now: Int64) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "UPDATE launch SET endedAt = ? WHERE id = ? AND endedAt IS NULL", arguments: [now, launchId])
            return db.changesCount == 1
        }
    }

    /// The CMI data of a SCORM attempt.
    public func scormAttempt(registration: String) throws -> ScormAttemptRecord? {
        try database.read { db in try ScormAttemptRecord.fetchOne(db, key: registration) }
    }

    /// The learner's latest SCORM attempt of a bundle.
    public func latestScormAttempt(learnerId: String, bundleId: String) throws -> ScormAttemptRecord? {
        try database.read { db in
            try ScormAttemptRecord.filter(Column("learnerId") == learnerId && Column("bundleId") == bundleId)
                .order(Column("updatedAt").desc, Column("rowid").desc).fetchOne(db)
        }
    }

    /// The learner's latest SCORM attempt of one SCO of a bundle (one attempt per SCO).
    /// `orUnmarked`: attempts recorded before content structure (no item) count as this SCO's
    /// (true for the package's first SCO, the only one that could be opened then).
    public func latestScormAttempt(learnerId: String, bundleId: String, itemId: String, orUnmarked: Bool) throws -> ScormAttemptRecord? {
        try database.read { db in
            let item = orUnmarked ? (Column("itemId") == itemId || Column("itemId") == nil) : Column("itemId") == itemId
            return try ScormAttemptRecord.filter(Column("learnerId") == learnerId && Column("bundleId") == bundleId && item)
                .order(Column("updatedAt").desc, Column("rowid").desc).fetchOne(db)
        }
    }

    /// Every SCORM attempt of a learner for a bundle (every SCO, every attempt), oldest first.
    public func scormAttempts(learnerId: String, bundleId: String) throws -> [ScormAttemptRecord] {
        try database.read { db in
            try ScormAttemptRecord.filter(Column("learnerId") == learnerId && Column("bundleId") == bundleId)
                .order(Column("updatedAt"), Column("rowid")).fetchAll(db)
        }
    }

    /// Creates or replaces the CMI data of an attempt; `update` gets the stored one (nil the first time)
    /// and returns the new one, in one transaction, so two commits racing cannot lose a change.
    @discardableResult
    public func updateScormAttempt(
        registration: String, _ update: (ScormAttemptRecord?) throws -> ScormAttemptRecord
    ) throws -> (before: ScormAttemptRecord?, after: ScormAttemptRecord) {
        try database.write { db in
            let before = try ScormAttemptRecord.fetchOne(db, key: registration)
            let after = try update(before)
            try after.save(db)
            return (before, after)
        }
    }

    /// Marks an activity of a cmi5 registration satisfied; false when it already was.
    public func markCmi5Satisfied(registration: String, activityId: String, now: Int64) throws -> Bool {
        try database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO cmi5Satisfaction (registration, activityId, satisfiedAt) VALUES (?, ?, ?)",
                arguments: [registration, activityId, now])
            return db.changesCount == 1
        }
    }

    /// Whether the LMS already wrote `satisfied` for this activity in this registration.
    public func isCmi5Satisfied(registration: String, activityId: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT COUNT(*) > 0 FROM cmi5Satisfaction WHERE registration = ? AND activityId = ?",
                arguments: [registration, activityId]) ?? false
        }
    }

    /// The bytes of one file of a stored bundle version (e.g. its cmi5.xml), nil when absent.
    public func bundleFileContents(bundleId: String, version: String, path: String) throws -> Data? {
        let blob = try database.read { db in
            try String.fetchOne(
                db, sql: "SELECT blob FROM bundleFile WHERE bundleId = ? AND version = ? AND path = ?",
                arguments: [bundleId, version, path])
        }
        guard let blob, let hash = ContentHash(hex: blob) else { return nil }
        return FileManager.default.contents(atPath: blobPath(hash))
    }

    /// bundle.json of a stored version (active or kept), nil when the box no longer holds it.
    public func storedManifest(bundleId: String, version: String) throws -> Data? {
        try database.read { db in
            try Data.fetchOne(db, sql: "SELECT manifest FROM bundleVersion WHERE bundleId = ? AND version = ?", arguments: [bundleId, version])
        }
    }
}
