import Crypto
import Foundation
import GRDB
import RelaisCore

/// A séance: a lesson a teacher prepares for a class (`preparee`), or an « accès libre » staff open
/// for a class moved to another room (`libre`, no teacher attached).
public struct Seance: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "seance"

    public enum State: String, Codable, Sendable, CaseIterable {
        /// Being prepared.
        case brouillon
        /// Handed over: a hand-over code is live.
        case confiee
        /// Started: the join code works.
        case enCours = "en_cours"
        /// Closed: the join code no longer works; the report stays.
        case terminee
    }

    public enum Kind: String, Codable, Sendable {
        case preparee, libre
    }

    public var id: String
    public var title: String
    public var classId: String
    public var teacherId: String?
    public var kind: Kind
    /// Seconds since 1970 (the box's clock).
    public var slotStart: Int64?
    public var slotEnd: Int64?
    public var instructions: String
    public var planB: String
    public var state: State
    var joinNonce: String?
    var joinCodeHash: String?
    public var createdBy: String?
    public var createdAt: Int64
    public var updatedAt: Int64
    public var startedAt: Int64?
    public var endedAt: Int64?
}

/// One activity of a séance, in order: a bundle and, for a multi-SCO or multi-AU course, the SCO
/// or AU chosen (nil: the bundle's first entry).
public struct SeanceActivity: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "seanceActivity"
    public var seanceId: String
    public var position: Int
    public var bundleId: String
    public var itemId: String?
    public var title: String

    public init(seanceId: String, position: Int, bundleId: String, itemId: String?, title: String) {
        self.seanceId = seanceId
        self.position = position
        self.bundleId = bundleId
        self.itemId = itemId
        self.title = title
    }
}

/// The live hand-over of a séance (its code is never stored, only a keyed hash).
public struct Handover: Codable, Sendable, Equatable, FetchableRecord {
    public var seanceId: String
    public var validFrom: Int64
    public var validUntil: Int64
    public var revokedAt: Int64?
    public var createdBy: String?
    public var createdAt: Int64

    /// Whether the code opens the séance at `now`.
    public func isLive(at now: Int64) -> Bool { revokedAt == nil && validFrom <= now && now < validUntil }
}

/// What a teacher types in the séance form (validated by `Box.createSeance` / `updateSeance`).
public struct SeanceDraft: Sendable, Equatable {
    public var title: String
    public var classId: String
    public var slotStart: Int64?
    public var slotEnd: Int64?
    public var instructions: String
    public var planB: String

    public init(title: String, classId: String, slotStart: Int64? = nil, slotEnd: Int64? = nil, instructions: String = "", planB: String = "") {
        self.title = title
        self.classId = classId
        self.slotStart = slotStart
        self.slotEnd = slotEnd
        self.instructions = instructions
        self.planB = planB
    }
}

/// A device's access to one séance, from the `relais_seance` cookie.
public struct SeanceAccess: Sendable, Equatable {
    public enum Role: String, Sendable { case remplacant, eleve }
    public let seanceId: String
    public let role: Role
    /// The pupil (role `eleve`).
    public let pupilId: String?
    public let expiresAt: Int64
}

/// A new access: the token goes in the device's cookie, never in the database.
public struct NewSeanceAccess: Sendable, Equatable, CustomStringConvertible {
    public let token: String
    public let access: SeanceAccess
    public var description: String { "seance access \(access.role.rawValue) \(access.seanceId)" }
}

/// Throttling of typed codes (hand-over and join): wrong codes per address and for the whole box
/// within a window. See README « Codes et limitation » for what these numbers buy.
public enum CodeThrottle {
    public static let window: Duration = .seconds(15 * 60)
    public static let perAddress = 10
    public static let perBox = 200

    static func keys(address: String) -> [(String, Int)] {
        [("code:address:" + address, perAddress), ("code:box", perBox)]
    }
}

/// The séance limits a form can break.
public enum SeanceLimits {
    public static let titleLength = 120
    public static let textLength = 4000
    public static let activities = 20
    /// A hand-over without a slot lasts this long.
    public static let defaultHandoverSeconds: Int64 = 24 * 3600
    /// A pupil's access lasts until the séance ends, at most this long.
    public static let pupilAccessSeconds: Int64 = 12 * 3600
}

extension PeopleError {
    public static let seanceNotFound = PeopleError(.notFound, "cette séance n'existe pas (ou plus)", "no such séance")
    public static let codeRefused = PeopleError(.codeRefused, "ce code ne correspond à aucune séance ouverte", "this code opens no séance")
}

// MARK: - Preparing

extension Box {
    /// A new séance in state `brouillon` (kind `preparee`, prepared by `teacherId`) or already
    /// running (`libre`: staff open it, no teacher attached; start it with `startSeance`).
    @discardableResult
    public func createSeance(_ draft: SeanceDraft, teacherId: String?, kind: Seance.Kind = .preparee, createdBy: String?, now: Date = Date()) throws -> Seance {
        let checked = try SeanceCheck.draft(draft)
        let seconds = PeopleCheck.seconds(now)
        return try database.write { db in
            guard try SchoolClass.fetchOne(db, key: checked.classId) != nil else { throw PeopleError.classNotFound }
            let seance = Seance(
                id: PeopleCheck.newID(), title: checked.title, classId: checked.classId, teacherId: kind == .libre ? nil : teacherId, kind: kind,
                slotStart: checked.slotStart, slotEnd: checked.slotEnd, instructions: checked.instructions, planB: checked.planB, state: .brouillon,
                joinNonce: nil, joinCodeHash: nil, createdBy: createdBy, createdAt: seconds, updatedAt: seconds, startedAt: nil, endedAt: nil)
            try seance.insert(db)
            return seance
        }
    }

    /// Changes what the teacher typed; refused once the séance has started.
    @discardableResult
    public func updateSeance(id: String, _ draft: SeanceDraft, now: Date = Date()) throws -> Seance {
        let checked = try SeanceCheck.draft(draft)
        return try database.write { db in
            guard var seance = try Seance.fetchOne(db, key: id) else { throw PeopleError.seanceNotFound }
            try SeanceCheck.editable(seance)
            guard try SchoolClass.fetchOne(db, key: checked.classId) != nil else { throw PeopleError.classNotFound }
            seance.title = checked.title
            seance.classId = checked.classId
            seance.slotStart = checked.slotStart
            seance.slotEnd = checked.slotEnd
            seance.instructions = checked.instructions
            seance.planB = checked.planB
            seance.updatedAt = PeopleCheck.seconds(now)
            try seance.update(db)
            return seance
        }
    }

    public func seance(id: String) throws -> Seance? {
        try database.read { db in try Seance.fetchOne(db, key: id) }
    }

    /// A teacher's séances, newest first.
    public func seances(ofTeacher personId: String) throws -> [Seance] {
        try database.read { db in
            try Seance.filter(Column("teacherId") == personId).order(Column("createdAt").desc, Column("id")).fetchAll(db)
        }
    }

    /// Every séance of the box, newest first (the admin's list).
    public func allSeances() throws -> [Seance] {
        try database.read { db in try Seance.order(Column("createdAt").desc, Column("id")).fetchAll(db) }
    }

    /// Deletes a séance and what hangs from it (its launches and statements stay: they are the
    /// pupils' records, purged with the retention period).
    public func deleteSeance(id: String) throws {
        try database.write { db in
            guard try Seance.deleteOne(db, key: id) else { throw PeopleError.seanceNotFound }
        }
    }

    /// A new draft with the same class, title (« (copie) »), activities, instructions and plan B; no slot.
    @discardableResult
    public func copySeance(id: String, teacherId: String?, createdBy: String?, now: Date = Date()) throws -> Seance {
        let seconds = PeopleCheck.seconds(now)
        return try database.write { db in
            guard let original = try Seance.fetchOne(db, key: id) else { throw PeopleError.seanceNotFound }
            let suffix = " (copie)"
            let title = String(original.title.prefix(SeanceLimits.titleLength - suffix.count)) + suffix
            let copy = Seance(
                id: PeopleCheck.newID(), title: title, classId: original.classId, teacherId: original.kind == .libre ? nil : (teacherId ?? original.teacherId),
                kind: original.kind, slotStart: nil, slotEnd: nil, instructions: original.instructions, planB: original.planB, state: .brouillon,
                joinNonce: nil, joinCodeHash: nil, createdBy: createdBy, createdAt: seconds, updatedAt: seconds, startedAt: nil, endedAt: nil)
            try copy.insert(db)
            for var activity in try SeanceActivity.filter(Column("seanceId") == id).order(Column("position")).fetchAll(db) {
                activity.seanceId = copy.id
                try activity.insert(db)
            }
            return copy
        }
    }

    // MARK: activities

    /// The séance's activities in order.
    public func seanceActivities(seanceId: String) throws -> [SeanceActivity] {
        try database.read { db in try SeanceActivity.filter(Column("seanceId") == seanceId).order(Column("position")).fetchAll(db) }
    }

    /// How many activities each séance has (one query for a whole list of séances).
    public func seanceActivityCounts() throws -> [String: Int] {
        try database.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT seanceId, COUNT(*) FROM seanceActivity GROUP BY seanceId") { counts[row[0]] = row[1] }
            return counts
        }
    }

    /// Adds an activity at the end.
    public func addSeanceActivity(seanceId: String, bundleId: String, itemId: String?, title: String, now: Date = Date()) throws {
        let title = String(title.prefix(300)).trimmingCharacters(in: .whitespacesAndNewlines)
        try database.write { db in
            guard var seance = try Seance.fetchOne(db, key: seanceId) else { throw PeopleError.seanceNotFound }
            try SeanceCheck.editable(seance)
            let count = try SeanceActivity.filter(Column("seanceId") == seanceId).fetchCount(db)
            guard count < SeanceLimits.activities else {
                throw PeopleError(.invalid, "une séance compte au plus \(SeanceLimits.activities) activités", "a séance holds at most \(SeanceLimits.activities) activities")
            }
            let next = (try Int.fetchOne(db, sql: "SELECT MAX(position) + 1 FROM seanceActivity WHERE seanceId = ?", arguments: [seanceId])) ?? 0
            try SeanceActivity(seanceId: seanceId, position: next, bundleId: bundleId, itemId: itemId, title: title.isEmpty ? bundleId : title).insert(db)
            seance.updatedAt = PeopleCheck.seconds(now)
            try seance.update(db)
        }
    }

    public enum ActivityMove: String, Sendable { case monter, descendre, retirer }

    /// Moves an activity up or down, or removes it; positions stay 0, 1, 2…
    public func moveSeanceActivity(seanceId: String, position: Int, _ move: ActivityMove, now: Date = Date()) throws {
        try database.write { db in
            guard var seance = try Seance.fetchOne(db, key: seanceId) else { throw PeopleError.seanceNotFound }
            try SeanceCheck.editable(seance)
            var list = try SeanceActivity.filter(Column("seanceId") == seanceId).order(Column("position")).fetchAll(db)
            guard let index = list.firstIndex(where: { $0.position == position }) else {
                throw PeopleError(.notFound, "cette activité n'est plus dans la séance", "this activity is no longer in the séance")
            }
            switch move {
            case .monter: if index > 0 { list.swapAt(index, index - 1) }
            case .descendre: if index < list.count - 1 { list.swapAt(index, index + 1) }
            case .retirer: list.remove(at: index)
            }
            try SeanceActivity.filter(Column("seanceId") == seanceId).deleteAll(db)
            for (newPosition, var activity) in list.enumerated() {
                activity.position = newPosition
                try activity.insert(db)
            }
            seance.updatedAt = PeopleCheck.seconds(now)
            try seance.update(db)
        }
    }
}

// MARK: - Hand-over

extension Box {
    /// « Confier »: a new hand-over code (returned once, kept only as a keyed hash) valid from
    /// `validFrom` to `validUntil` (default: the slot, else 24 hours from now). A previous code of
    /// the séance stops working. The séance becomes `confiee`.
    public func handOver(seanceId: String, by personId: String?, validFrom: Int64? = nil, validUntil: Int64? = nil, now: Date = Date()) throws -> String {
        let seconds = PeopleCheck.seconds(now)
        let key = try seanceKey()
        return try database.write { db in
            guard var seance = try Seance.fetchOne(db, key: seanceId) else { throw PeopleError.seanceNotFound }
            guard seance.state == .brouillon || seance.state == .confiee else {
                throw PeopleError(.invalid, "une séance commencée ou terminée ne peut plus être confiée", "a started or ended séance cannot be handed over")
            }
            guard try SeanceActivity.filter(Column("seanceId") == seanceId).fetchCount(db) > 0 else {
                throw PeopleError(.invalid, "ajoutez au moins une activité avant de confier la séance", "add at least one activity before handing the séance over")
            }
            // The window: from now (the sheet is printed ahead) to the slot's end, or the next 24 hours.
            var from = validFrom ?? seance.slotStart.map { min(seconds, $0 - 3600) } ?? seconds
            // A slot without an end lasts 24 hours from its start (not from now: a séance next
            // week must not get a code that expires tomorrow).
            var until = validUntil ?? seance.slotEnd ?? ((seance.slotStart ?? from) + SeanceLimits.defaultHandoverSeconds)
            if until <= seconds { until = seconds + SeanceLimits.defaultHandoverSeconds; from = seconds }
            if until <= from { until = from + SeanceLimits.defaultHandoverSeconds }
            var code = ""
            var hash = ""
            repeat {
                var generator = SystemRandomNumberGenerator()
                code = SeanceCode.make(from: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }) ?? ""
                hash = code.isEmpty ? "" : Self.keyedHash(key: key, purpose: "remise", code)
            } while try code.isEmpty || (Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM handover WHERE codeHash = ?)", arguments: [hash]) ?? false)
            try db.execute(sql: "DELETE FROM handover WHERE seanceId = ?", arguments: [seanceId])
            // Substitutes let in by an earlier code lose their access.
            try db.execute(sql: "DELETE FROM seanceAccess WHERE seanceId = ? AND role = 'remplacant'", arguments: [seanceId])
            try db.execute(
                sql: "INSERT INTO handover (seanceId, codeHash, validFrom, validUntil, createdBy, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [seanceId, hash, from, until, personId, seconds])
            if seance.state == .brouillon {
                seance.state = .confiee
                seance.updatedAt = seconds
                try seance.update(db)
            }
            try Self.audit(db, at: seconds, personId: personId, action: "seance.confiee", pupilId: nil, classId: seance.classId, detail: seance.id)
            return code
        }
    }

    /// The séance's hand-over, if one was made.
    public func handover(seanceId: String) throws -> Handover? {
        try database.read { db in
            try Handover.fetchOne(
                db, sql: "SELECT seanceId, validFrom, validUntil, revokedAt, createdBy, createdAt FROM handover WHERE seanceId = ?", arguments: [seanceId])
        }
    }

    /// Revokes the hand-over: the code and the substitutes it let in stop working; a séance not
    /// started yet goes back to `brouillon`.
    public func revokeHandover(seanceId: String, by personId: String?, now: Date = Date()) throws {
        let seconds = PeopleCheck.seconds(now)
        try database.write { db in
            guard var seance = try Seance.fetchOne(db, key: seanceId) else { throw PeopleError.seanceNotFound }
            try db.execute(sql: "UPDATE handover SET revokedAt = ? WHERE seanceId = ? AND revokedAt IS NULL", arguments: [seconds, seanceId])
            try db.execute(sql: "DELETE FROM seanceAccess WHERE seanceId = ? AND role = 'remplacant'", arguments: [seanceId])
            if seance.state == .confiee {
                seance.state = .brouillon
                seance.updatedAt = seconds
                try seance.update(db)
            }
            try Self.audit(db, at: seconds, personId: personId, action: "seance.remise.revoquee", pupilId: nil, classId: seance.classId, detail: seance.id)
        }
    }

    /// A substitute types a hand-over code: throttled per address and for the whole box; a live
    /// code gives this device access to that one séance until the window ends.
    public func redeemHandover(code typed: String, address: String, now: Date = Date()) throws -> NewSeanceAccess {
        let seconds = PeopleCheck.seconds(now)
        try checkCodeThrottle(address: address, now: seconds)
        let key = try seanceKey()
        let found: (Seance, Handover)? = try database.read { db in
            guard let code = SeanceCode.normalized(typed) else { return nil }
            let hash = Self.keyedHash(key: key, purpose: "remise", code)
            guard let handover = try Handover.fetchOne(
                db, sql: "SELECT seanceId, validFrom, validUntil, revokedAt, createdBy, createdAt FROM handover WHERE codeHash = ?", arguments: [hash]),
                handover.isLive(at: seconds), let seance = try Seance.fetchOne(db, key: handover.seanceId)
            else { return nil }
            return (seance, handover)
        }
        guard let (seance, handover) = found, seance.state != .terminee || seconds < handover.validUntil else {
            try recordCodeFailure(address: address, now: seconds)
            throw PeopleError.codeRefused
        }
        let access = try openSeanceAccess(seanceId: seance.id, role: .remplacant, pupilId: nil, expiresAt: handover.validUntil, now: seconds)
        try audit(personId: nil, action: "seance.remplacant", classId: seance.classId, detail: seance.id, now: now)
        return access
    }

    // MARK: codes and throttling

    /// Nil when a code may be tried from this address now, else how long to wait.
    public func codeAttemptAllowed(address: String, now: Date = Date()) throws -> Duration? {
        try throttleWait(keys: CodeThrottle.keys(address: address), window: CodeThrottle.window, now: PeopleCheck.seconds(now))
    }

    func checkCodeThrottle(address: String, now: Int64) throws {
        if let wait = try throttleWait(keys: CodeThrottle.keys(address: address), window: CodeThrottle.window, now: now) {
            throw PeopleError(
                .throttled, "trop de codes erronés : réessayez dans \(Int(wait.components.seconds / 60) + 1) min",
                "too many wrong codes: try again in \(Int(wait.components.seconds / 60) + 1) min")
        }
    }

    func recordCodeFailure(address: String, now: Int64) throws {
        try recordFailures(keys: CodeThrottle.keys(address: address), window: CodeThrottle.window, now: now)
    }

    /// HMAC-SHA256 of a code or token with a key derived from the box secret, as hex.
    static func keyedHash(key: [UInt8], purpose: String, _ text: String) -> String {
        Hex.encode(Array(HMAC<SHA256>.authenticationCode(for: Data((purpose + ":" + text).utf8), using: SymmetricKey(data: key))))
    }

    func seanceKey() throws -> [UInt8] {
        if let key = seanceKeyCache.withLock({ $0 }) { return key }
        guard let secret = FileManager.default.contents(atPath: directory.secretPath), secret.count >= 32 else {
            throw StoreError.secretUnreadable(directory.secretPath)
        }
        let key = Array(HMAC<SHA256>.authenticationCode(for: Data("relais seance codes v1".utf8), using: SymmetricKey(data: secret)))
        seanceKeyCache.withLock { $0 = key }
        return key
    }
}

// MARK: - Running

extension Box {
    /// « Démarrer »: the join code starts working; returns it. Starting a running séance returns
    /// its code again.
    @discardableResult
    public func startSeance(id: String, by personId: String?, now: Date = Date()) throws -> String {
        let seconds = PeopleCheck.seconds(now)
        let key = try seanceKey()
        return try database.write { db in
            guard var seance = try Seance.fetchOne(db, key: id) else { throw PeopleError.seanceNotFound }
            if seance.state == .enCours, let nonce = seance.joinNonce, let code = Self.joinCode(key: key, seanceId: id, nonce: nonce) { return code }
            guard seance.state == .confiee || (seance.kind == .libre && seance.state == .brouillon) else {
                throw PeopleError(.invalid, "cette séance ne peut pas être démarrée (elle est terminée ou pas encore confiée)", "this séance cannot be started (ended or not handed over)")
            }
            guard try SeanceActivity.filter(Column("seanceId") == id).fetchCount(db) > 0 else {
                throw PeopleError(.invalid, "cette séance n'a aucune activité", "this séance has no activity")
            }
            while true {
                let nonce = Secrets.randomHex(bytes: 16)
                guard let code = Self.joinCode(key: key, seanceId: id, nonce: nonce) else { continue }
                let hash = Self.keyedHash(key: key, purpose: "rejoindre", code)
                if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM seance WHERE joinCodeHash = ?)", arguments: [hash]) ?? false { continue }
                seance.joinNonce = nonce
                seance.joinCodeHash = hash
                seance.state = .enCours
                seance.startedAt = seance.startedAt ?? seconds
                seance.updatedAt = seconds
                try seance.update(db)
                try Self.audit(db, at: seconds, personId: personId, action: "seance.demarree", pupilId: nil, classId: seance.classId, detail: seance.id)
                return code
            }
        }
    }

    /// The join code of a running séance (derived again from the box secret and the stored nonce).
    public func joinCode(of seance: Seance) throws -> String? {
        guard seance.state == .enCours, let nonce = seance.joinNonce else { return nil }
        return Self.joinCode(key: try seanceKey(), seanceId: seance.id, nonce: nonce)
    }

    static func joinCode(key: [UInt8], seanceId: String, nonce: String) -> String? {
        let bytes = Array(HMAC<SHA256>.authenticationCode(for: Data("rejoindre-code:\(seanceId):\(nonce)".utf8), using: SymmetricKey(data: key)))
        return SeanceCode.make(from: bytes)
    }

    /// « Terminer »: the join code stops working and the pupils' devices can launch nothing more
    /// (their page says the séance is over); the launches and statements stay for the report.
    public func endSeance(id: String, by personId: String?, now: Date = Date()) throws {
        let seconds = PeopleCheck.seconds(now)
        try database.write { db in
            guard var seance = try Seance.fetchOne(db, key: id) else { throw PeopleError.seanceNotFound }
            guard seance.state != .terminee else { return }
            seance.state = .terminee
            seance.joinCodeHash = nil
            seance.joinNonce = nil
            seance.endedAt = seconds
            seance.updatedAt = seconds
            try seance.update(db)
            try Self.audit(db, at: seconds, personId: personId, action: "seance.terminee", pupilId: nil, classId: seance.classId, detail: seance.id)
        }
    }

    /// The running séance a join code opens (throttled like hand-over codes); nil never: a wrong
    /// code throws `codeRefused` and counts against the address.
    public func seance(joinCode typed: String, address: String, now: Date = Date()) throws -> Seance {
        let seconds = PeopleCheck.seconds(now)
        try checkCodeThrottle(address: address, now: seconds)
        let key = try seanceKey()
        let seance: Seance? = try database.read { db in
            guard let code = SeanceCode.normalized(typed) else { return nil }
            return try Seance.filter(Column("joinCodeHash") == Self.keyedHash(key: key, purpose: "rejoindre", code)).fetchOne(db)
        }
        guard let seance, seance.state == .enCours else {
            try recordCodeFailure(address: address, now: seconds)
            throw PeopleError.codeRefused
        }
        return seance
    }

    /// A pupil picked their name in a running séance: recorded as joined, and this device gets
    /// the pupil's access to that séance.
    public func joinSeance(seanceId: String, pupilId: String, now: Date = Date()) throws -> NewSeanceAccess {
        let seconds = PeopleCheck.seconds(now)
        try database.write { db in
            guard let seance = try Seance.fetchOne(db, key: seanceId), seance.state == .enCours else { throw PeopleError.codeRefused }
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pupil WHERE id = ? AND classId = ?)", arguments: [pupilId, seance.classId]) ?? false
            else { throw PeopleError.pupilNotFound }
            try db.execute(sql: "INSERT OR IGNORE INTO seanceJoin (seanceId, pupilId, joinedAt) VALUES (?, ?, ?)", arguments: [seanceId, pupilId, seconds])
        }
        return try openSeanceAccess(seanceId: seanceId, role: .eleve, pupilId: pupilId, expiresAt: seconds + SeanceLimits.pupilAccessSeconds, now: seconds)
    }

    func openSeanceAccess(seanceId: String, role: SeanceAccess.Role, pupilId: String?, expiresAt: Int64, now: Int64) throws -> NewSeanceAccess {
        let token = Secrets.randomHex(bytes: 32)
        let key = try seanceKey()
        try database.write { db in
            try db.execute(sql: "DELETE FROM seanceAccess WHERE expiresAt <= ?", arguments: [now])
            try db.execute(
                sql: "INSERT INTO seanceAccess (tokenHash, seanceId, role, pupilId, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [Self.keyedHash(key: key, purpose: "acces", token), seanceId, role.rawValue, pupilId, now, expiresAt])
        }
        return NewSeanceAccess(token: token, access: SeanceAccess(seanceId: seanceId, role: role, pupilId: pupilId, expiresAt: expiresAt))
    }

    /// The séance access of a device's token, nil when unknown or expired.
    public func seanceAccess(token: String, now: Date = Date()) throws -> SeanceAccess? {
        guard token.count == 64 else { return nil }
        let hash = Self.keyedHash(key: try seanceKey(), purpose: "acces", token)
        return try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT seanceId, role, pupilId, expiresAt FROM seanceAccess WHERE tokenHash = ?", arguments: [hash]),
                let role = SeanceAccess.Role(rawValue: row["role"]), (row["expiresAt"] as Int64) > PeopleCheck.seconds(now)
            else { return nil }
            return SeanceAccess(seanceId: row["seanceId"], role: role, pupilId: row["pupilId"], expiresAt: row["expiresAt"])
        }
    }

    /// Ends one device's access (a substitute leaving, a pupil « Ce n'est pas moi »).
    public func deleteSeanceAccess(token: String) throws {
        let hash = Self.keyedHash(key: try seanceKey(), purpose: "acces", token)
        try database.write { db in try db.execute(sql: "DELETE FROM seanceAccess WHERE tokenHash = ?", arguments: [hash]) }
    }

    /// The pupils who joined a séance (the names page marks them).
    public func joinedPupils(seanceId: String) throws -> Set<String> {
        try database.read { db in Set(try String.fetchAll(db, sql: "SELECT pupilId FROM seanceJoin WHERE seanceId = ?", arguments: [seanceId])) }
    }

    /// Records that a launch was made within a séance, for its progress table and report.
    public func recordSeanceLaunch(launchId: String, seanceId: String, pupilId: String, position: Int, now: Date = Date()) throws {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO seanceLaunch (launchId, seanceId, pupilId, position, createdAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [launchId, seanceId, pupilId, position, PeopleCheck.seconds(now)])
        }
    }
}

extension Box {
    /// The séance a launch was made in (and for which pupil, at which activity), nil outside séances.
    public func seanceOfLaunch(launchId: String) throws -> (seance: Seance, pupilId: String, position: Int)? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT seanceId, pupilId, position FROM seanceLaunch WHERE launchId = ?", arguments: [launchId]),
                let seance = try Seance.fetchOne(db, key: row["seanceId"] as String)
            else { return nil }
            return (seance, row["pupilId"], row["position"])
        }
    }

    /// A pupil moved from one SCO/AU to another inside the player: the new launch belongs to the
    /// same séance, at the activity naming that SCO/AU if the séance has one, else at the activity
    /// the pupil came from.
    public func inheritSeanceLaunch(from previousId: String, to launch: LaunchRecord, now: Date = Date()) throws {
        guard let (seance, pupilId, position) = try seanceOfLaunch(launchId: previousId) else { return }
        let activities = try seanceActivities(seanceId: seance.id)
        let target = activities.first { $0.bundleId == launch.bundleId && $0.itemId != nil && $0.itemId == launch.itemId }?.position ?? position
        try recordSeanceLaunch(launchId: launch.id, seanceId: seance.id, pupilId: pupilId, position: target, now: now)
    }
}

enum SeanceCheck {
    static func draft(_ draft: SeanceDraft) throws(PeopleError) -> SeanceDraft {
        var checked = draft
        let title = draft.title.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !title.isEmpty else { throw PeopleError(.invalid, "donnez un titre à la séance", "give the séance a title") }
        guard title.count <= SeanceLimits.titleLength else {
            throw PeopleError(.invalid, "le titre dépasse \(SeanceLimits.titleLength) caractères", "the title is longer than \(SeanceLimits.titleLength) characters")
        }
        guard !title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw PeopleError(.invalid, "le titre contient un caractère invisible", "the title holds an invisible character")
        }
        checked.title = title
        for (text, field, english) in [(draft.instructions, "consignes", "instructions"), (draft.planB, "plan B", "plan B")] {
            guard text.count <= SeanceLimits.textLength else {
                throw PeopleError(.invalid, "le texte « \(field) » dépasse \(SeanceLimits.textLength) caractères", "the \(english) text is longer than \(SeanceLimits.textLength) characters")
            }
        }
        checked.instructions = draft.instructions.trimmingCharacters(in: .whitespacesAndNewlines)
        checked.planB = draft.planB.trimmingCharacters(in: .whitespacesAndNewlines)
        if let start = draft.slotStart, let end = draft.slotEnd, end <= start {
            throw PeopleError(.invalid, "l'heure de fin doit suivre l'heure de début", "the end time must come after the start time")
        }
        return checked
    }

    static func editable(_ seance: Seance) throws(PeopleError) {
        guard seance.state == .brouillon || seance.state == .confiee else {
            throw PeopleError(.invalid, "une séance commencée ou terminée ne se modifie plus (copiez-la)", "a started or ended séance cannot be changed (copy it)")
        }
    }
}
