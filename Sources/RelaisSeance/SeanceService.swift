import Foundation
import Synchronization
import RelaisCore
import RelaisLaunch
import RelaisStore

/// The séance prête, apart from HTTP: which bundles a séance may offer, a pupil's launch within
/// a séance, the progress table and its CSV. Pages, the CLI and tests share it.
public struct SeanceService: Sendable {
    public let box: Box
    /// What a séance needs of a bundle version's structure: its SCOs/AUs when it has several, and
    /// the course's activity id then. A version never changes, so it is read once per process
    /// (the live table asks every few seconds, the teacher's picker lists every bundle).
    struct CourseShape: Sendable {
        let parts: [BundleStructureEntry]
        let courseId: String?
    }

    static let shapes = Mutex<[String: CourseShape]>([:])

    func shape(of entry: CatalogEntry) -> CourseShape {
        let key = entry.manifest.id + "@" + entry.manifest.version
        if let known = Self.shapes.withLock({ $0[key] }) { return known }
        let launcher = LaunchService(box: box)
        let structure = (try? launcher.structure(of: entry)) ?? []
        let shape = structure.count > 1
            ? CourseShape(parts: structure, courseId: try? launcher.courseActivityID(of: entry)) : CourseShape(parts: [], courseId: nil)
        Self.shapes.withLock { $0[key] = shape }
        return shape
    }

    public init(box: Box) {
        self.box = box
    }

    /// Whether pupils may open a bundle in a séance: licensed at the box's trusted time, and for
    /// pupils (GAR `publicCible` ELEVE; free and local bundles are for everyone).
    public static func offersToPupils(_ entry: CatalogEntry) -> Bool {
        entry.licensed && entry.audiences.contains(.eleve)
    }

    /// What refuses a pupil's launch, in French and English.
    public enum LaunchRefusal: Error, Equatable {
        /// The séance is not running (ended, or not started).
        case seanceClosed
        /// No activity at this position.
        case noSuchActivity
        /// The bundle left the box or its licence no longer allows pupils to open it.
        case unavailable(french: String, english: String)
    }

    /// A pupil opens the séance's activity at `position`: the launch is made for the pupil's
    /// learner (pseudonymous like every actor) and recorded with the séance.
    public func launch(access: SeanceAccess, position: Int, origins: LaunchOrigins, now: Date = Date()) throws -> LaunchOutcome {
        guard access.role == .eleve, let pupilId = access.pupilId else { throw LaunchRefusal.seanceClosed }
        guard let seance = try box.seance(id: access.seanceId), seance.state == .enCours else { throw LaunchRefusal.seanceClosed }
        guard let activity = try box.seanceActivities(seanceId: seance.id).first(where: { $0.position == position }) else {
            throw LaunchRefusal.noSuchActivity
        }
        guard let entry = try box.catalogEntry(id: activity.bundleId, at: box.trustedNow()) else {
            throw LaunchRefusal.unavailable(
                french: "« \(activity.title) » n'est plus sur la box.", english: "“\(activity.title)” is no longer on the box.")
        }
        guard Self.offersToPupils(entry) else {
            let reason = entry.refusal
            throw LaunchRefusal.unavailable(
                french: reason?.french ?? "« \(activity.title) » n'est pas ouvert aux élèves.", english: reason?.english ?? "“\(activity.title)” is not open to pupils.")
        }
        guard let learner = try box.learner(id: UUID(uuidString: pupilId) ?? UUID()) else { throw LaunchRefusal.seanceClosed }
        let outcome: LaunchOutcome
        do {
            outcome = try LaunchService(box: box).launch(bundle: entry, learner: learner, origins: origins, item: activity.itemId)
        } catch LaunchServiceError.unusable {
            throw LaunchRefusal.unavailable(
                french: "« \(activity.title) » n'a plus cette partie dans sa version actuelle.", english: "“\(activity.title)” no longer has this part in its current version.")
        }
        try box.recordSeanceLaunch(launchId: outcome.launch.id, seanceId: seance.id, pupilId: pupilId, position: position, now: now)
        return outcome
    }

    /// What a séance may offer of a bundle: the bundle itself (its first SCO/AU) and, for a course
    /// of several SCOs or AUs, each of them.
    public struct Choice: Sendable, Equatable {
        public let bundleId: String
        public let itemId: String?
        /// « Course — SCO » for a part, the course's title for the whole.
        public let title: String
        /// The SCO/AU's own title (the course's for the whole).
        public let partTitle: String
    }

    public func choices(of entry: CatalogEntry) -> [Choice] {
        let whole = Choice(bundleId: entry.manifest.id, itemId: nil, title: entry.manifest.title.fr, partTitle: entry.manifest.title.fr)
        return [whole] + shape(of: entry).parts.map { Choice(bundleId: entry.manifest.id, itemId: $0.id, title: "\(entry.manifest.title.fr) — \($0.title)", partTitle: $0.title) }
    }

    /// The séance's progress now (one pupil's line only with `pupilId`), nil when it does not exist.
    public func progress(seanceId: String, pupilId: String? = nil) throws -> SeanceProgress? {
        guard let records = try box.seanceRecords(seanceId: seanceId, pupilId: pupilId) else { return nil }
        return SeanceProgress(records: records, courses: try courses(records.activities))
    }

    /// The activities that are a whole course of several SCOs/AUs, with the course's activity id.
    func courses(_ activities: [SeanceActivity]) throws -> [Int: String] {
        let now = try box.trustedNow()
        var courses: [Int: String] = [:]
        var byBundle: [String: String?] = [:]
        for activity in activities where activity.itemId == nil {
            if byBundle[activity.bundleId] == nil {
                byBundle[activity.bundleId] = .some(try box.catalogEntry(id: activity.bundleId, at: now).flatMap { shape(of: $0).courseId })
            }
            if let course = byBundle[activity.bundleId] ?? nil { courses[activity.position] = course }
        }
        return courses
    }

    /// The report as CSV for a spreadsheet: one line per pupil and activity, `;`-separated,
    /// UTF-8 with a byte-order mark (so Excel reads accents), French headers.
    public static func csv(_ progress: SeanceProgress) -> String {
        var lines = [CSVTable.line(["élève", "ordre", "activité", "a rejoint", "lancée", "terminée", "réussite", "score (%)", "temps (s)"])]
        for row in progress.rows {
            for (index, activity) in progress.activities.enumerated() {
                let cell = row.cells[index]
                lines.append(CSVTable.line([
                    row.pupil.displayName, String(index + 1), activity.title, row.joinedAt == nil ? "non" : "oui", cell.launched ? "oui" : "non",
                    cell.completed ? "oui" : "non", cell.success.map { $0 ? "réussi" : "échoué" } ?? "",
                    cell.score.map { String(Int(($0 * 100).rounded())) } ?? "", cell.seconds > 0 ? String(Int(cell.seconds.rounded())) : "",
                ]))
            }
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}
