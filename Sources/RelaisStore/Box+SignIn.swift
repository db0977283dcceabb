import Crypto
import Foundation
import GRDB
import HummingbirdBcrypt
import RelaisCore

/// Passwords of staff accounts: bcrypt (HummingbirdBcrypt), never the password itself.
///
/// Cost 12: one hash took 0.30 s (0.298–0.312 s over 5 runs) on this project's shared 2-core
/// build machine, measured 2026-12-04 with the same C code built `-O2`, and 0.30 s in the debug
/// test build when the machine was quiet (0.86–0.95 s while other builds ran; printed by
/// `SignInTests.oneBcryptHashAtCost12`): slow enough to make
/// guessing from a stolen database expensive, fast enough for a sign-in. Call sign-in off the
/// event loop. bcrypt reads at most 72 bytes, so longer passwords are refused rather than
/// silently cut.
public enum Passwords {
    public static let cost: UInt8 = 12
    public static let minimumLength = 10
    public static let maximumBytes = 72

    /// Why a new password is refused, nil when it is acceptable.
    public static func problem(_ password: String) -> PeopleError? {
        if password.count < minimumLength {
            return PeopleError(.weakPassword, "le mot de passe doit avoir au moins \(minimumLength) caractères", "the password must have at least \(minimumLength) characters")
        }
        if password.utf8.count > maximumBytes {
            return PeopleError(.weakPassword, "le mot de passe est trop long (\(maximumBytes) octets au plus)", "the password is too long (at most \(maximumBytes) bytes)")
        }
        return nil
    }

    static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    /// bcrypt's own comparison is constant-time.
    static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// Verified against when the login is unknown, disabled or has no password yet, so the time a
    /// refusal takes does not tell which logins exist.
    static let dummyHash = Bcrypt.hash("relais-dummy-password-\(UUID().uuidString)", cost: cost)
}

/// Sign-in throttling: 5 failures of one account, or 20 from one address, within 15 minutes
/// block that key until the oldest of those failures is 15 minutes old.
public enum SignInThrottle {
    public static let window: Duration = .seconds(15 * 60)
    public static let accountLimit = 5
    public static let addressLimit = 20

    static func accountKey(_ login: String) -> String { "account:" + PeopleText.normalizedLogin(login) }
    static func addressKey(_ address: String) -> String { "address:" + address }

    /// The keys a sign-in counts against, with their limits; an empty login or address counts
    /// against nothing (a command on the box's console has no address).
    static func keys(login: String, address: String) -> [(String, Int)] {
        var keys: [(String, Int)] = []
        if !PeopleText.normalizedLogin(login).isEmpty { keys.append((accountKey(login), accountLimit)) }
        if !address.isEmpty { keys.append((addressKey(address), addressLimit)) }
        return keys
    }
}

/// A new portal session: the token goes in the cookie (only its SHA-256 is stored), the CSRF
/// token in every form.
public struct NewSession: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let token: String
    public let csrfToken: String

    /// Never the tokens themselves (they would end up in logs).
    public var description: String { "session \(token.prefix(4))…" }
    public var debugDescription: String { description }
}

/// A valid session, as `session(token:now:)` finds it.
public struct SignedIn: Sendable, Equatable {
    public let person: Person
    public let csrfToken: String
    /// Seconds since 1970.
    public let createdAt: Int64
}

public enum SignInOutcome: Sendable, Equatable {
    case success(Person, NewSession)
    /// Wrong login or password, disabled account or no password yet: one generic refusal.
    case refused
    /// Too many failures: try again after this long.
    case throttled(retryAfter: Duration)
}

/// One-time codes typed by people (admin setup, password reset): 10 characters from an alphabet
/// without 0/O/1/I/L, shown as `K7M4-PX9Q-RT`; typed in any case, with or without dashes or spaces.
public enum OneTimeCode {
    /// The same symbols as séance codes: no 0/O, 1/I/L.
    static let alphabet = SeanceCode.alphabet

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(chars[0..<4]) + "-" + String(chars[4..<8]) + "-" + String(chars[8..<10])
    }

    /// The code as typed, uppercased, without separators.
    public static func normalized(_ typed: String) -> String {
        String(typed.uppercased().filter { $0 != "-" && !$0.isWhitespace })
    }

    static func hash(_ typed: String) -> String { Secrets.sha256Hex(normalized(typed)) }
}

// MARK: - Sessions

extension Box {
    /// Opens a session for a person: a random 32-byte token (hex) and a CSRF token.
    public func createSession(personId: String, now: Date = Date()) throws -> NewSession {
        try database.write { db in try Self.createSession(db, personId: personId, now: PeopleCheck.seconds(now)) }
    }

    static func createSession(_ db: Database, personId: String, now: Int64) throws -> NewSession {
        let session = NewSession(token: Secrets.randomHex(bytes: 32), csrfToken: Secrets.randomHex(bytes: 32))
        try db.execute(
            sql: "INSERT INTO session (idHash, personId, csrfToken, createdAt, lastSeenAt) VALUES (?, ?, ?, ?, ?)",
            arguments: [Secrets.sha256Hex(session.token), personId, session.csrfToken, now, now])
        return session
    }

    /// The session of a token, nil when unknown or expired: idle for more than
    /// `portal.sessionIdleMinutes` (120), older than `portal.sessionMaxHours` (12), or its person
    /// disabled. Touches `lastSeenAt` (at most once a minute). An expired session is deleted.
    public func session(token: String, now: Date = Date()) throws -> SignedIn? {
        let idle = Int64(try setting("portal.sessionIdleMinutes")) ?? 120
        let maxHours = Int64(try setting("portal.sessionMaxHours")) ?? 12
        let seconds = PeopleCheck.seconds(now)
        let idHash = Secrets.sha256Hex(token)
        let row = try database.read { db in
            try Row.fetchOne(db, sql: "SELECT personId, csrfToken, createdAt, lastSeenAt FROM session WHERE idHash = ?", arguments: [idHash])
        }
        guard let row else { return nil }
        let createdAt: Int64 = row["createdAt"]
        let lastSeenAt: Int64 = row["lastSeenAt"]
        let personId: String = row["personId"]
        if seconds - lastSeenAt > idle * 60 || seconds - createdAt > maxHours * 3600 {
            try database.write { db in try db.execute(sql: "DELETE FROM session WHERE idHash = ?", arguments: [idHash]) }
            return nil
        }
        guard let person = try person(id: personId), !person.disabled else { return nil }
        if seconds - lastSeenAt >= 60 {
            try database.write { db in try db.execute(sql: "UPDATE session SET lastSeenAt = ? WHERE idHash = ?", arguments: [seconds, idHash]) }
        }
        return SignedIn(person: person, csrfToken: row["csrfToken"], createdAt: createdAt)
    }

    /// Sign-out.
    public func deleteSession(token: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM session WHERE idHash = ?", arguments: [Secrets.sha256Hex(token)]) }
    }

    /// Ends every session of a person (password changed, account disabled).
    public func deleteSessions(personId: String) throws {
        try database.write { db in try db.execute(sql: "DELETE FROM session WHERE personId = ?", arguments: [personId]) }
    }

    // MARK: - Throttling

    /// Nil when a sign-in for this login from this address may be tried now, else how long to wait.
    public func signInAllowed(login: String, address: String, now: Date = Date()) throws -> Duration? {
        try throttleWait(keys: SignInThrottle.keys(login: login, address: address), window: SignInThrottle.window, now: PeopleCheck.seconds(now))
    }

    /// Records a failed sign-in for the account and the address; drops failures past the window.
    public func recordSignInFailure(login: String, address: String, now: Date = Date()) throws {
        try recordFailures(keys: SignInThrottle.keys(login: login, address: address), window: SignInThrottle.window, now: PeopleCheck.seconds(now))
    }

    /// The one throttle of typed secrets (passwords, hand-over and join codes): failures per key in
    /// `signInFailure`; nil when every key is under its limit within `window`, else how long until
    /// enough of them have left it.
    func throttleWait(keys: [(String, Int)], window: Duration, now: Int64) throws -> Duration? {
        let windowSeconds = window.components.seconds
        return try database.read { db in
            var wait: Int64 = 0
            for (key, limit) in keys {
                let times = try Int64.fetchAll(
                    db, sql: "SELECT at FROM signInFailure WHERE key = ? AND at > ? ORDER BY at", arguments: [key, now - windowSeconds])
                if times.count >= limit {
                    // Allowed again once enough of them have left the window.
                    wait = max(wait, times[times.count - limit] + windowSeconds - now)
                }
            }
            return wait > 0 ? .seconds(wait) : nil
        }
    }

    /// Records one failure for each key; drops every failure older than the longest throttle window.
    func recordFailures(keys: [(String, Int)], window: Duration, now: Int64) throws {
        let kept = max(window, SignInThrottle.window, CodeThrottle.window).components.seconds
        try database.write { db in
            try db.execute(sql: "DELETE FROM signInFailure WHERE at <= ?", arguments: [now - kept])
            for (key, _) in keys {
                try db.execute(sql: "INSERT INTO signInFailure (key, at) VALUES (?, ?)", arguments: [key, now])
            }
        }
    }

    // MARK: - Sign-in

    /// Checks a login and password (bcrypt, about 0.3 s: call it off the event loop) and opens a
    /// session. Unknown logins, disabled accounts and accounts without a password still run one
    /// bcrypt verify, and all refusals are the same `.refused`. A success clears the account's
    /// failures; a throttled key is refused before any password is checked.
    public func signIn(login: String, password: String, address: String, now: Date = Date()) throws -> SignInOutcome {
        if let wait = try signInAllowed(login: login, address: address, now: now) { return .throttled(retryAfter: wait) }
        let person = try person(login: login)
        let usable = person.flatMap { $0.disabled ? nil : $0.passwordHash }
        let matches = Passwords.verify(password, hash: usable ?? Passwords.dummyHash)
        guard let person, usable != nil, matches else {
            try recordSignInFailure(login: login, address: address, now: now)
            return .refused
        }
        let session = try database.write { db in
            try db.execute(sql: "DELETE FROM signInFailure WHERE key = ?", arguments: [SignInThrottle.accountKey(login)])
            return try Self.createSession(db, personId: person.id, now: PeopleCheck.seconds(now))
        }
        return .success(person, session)
    }

    /// Changes a signed-in person's own password after checking the current one; ends their
    /// other sessions (all but `keeping`, the token of the session making the change). Wrong
    /// current passwords count as failed sign-ins of the account.
    public func changePassword(personId: String, current: String, new: String, keeping token: String? = nil, now: Date = Date()) throws {
        if let problem = Passwords.problem(new) { throw problem }
        guard let person = try person(id: personId), let hash = person.passwordHash else { throw PeopleError.personNotFound }
        try checkThrottle(login: person.login, address: nil, now: now)
        guard Passwords.verify(current, hash: hash) else {
            try recordSignInFailure(login: person.login, address: "", now: now)
            throw PeopleError(.codeRefused, "le mot de passe actuel n'est pas le bon", "the current password is wrong")
        }
        let newHash = Passwords.hash(new)
        try database.write { db in
            try db.execute(sql: "UPDATE person SET passwordHash = ? WHERE id = ?", arguments: [newHash, personId])
            try db.execute(
                sql: "DELETE FROM session WHERE personId = ? AND idHash != ?", arguments: [personId, token.map(Secrets.sha256Hex) ?? ""])
        }
    }

    /// Sets a staff member's password without their current one or a code: for the box's
    /// console (`relais admin password`, used by scripts and the demo), whose user can read the
    /// database anyway. The same rules as every new password (`Passwords.problem`), checked
    /// before anything is hashed. Ends every session of the person, revokes their pending reset
    /// codes (the password they were for is set), clears the account's sign-in failures, and
    /// writes `staff.password` to the audit log (`issuer`: who did it, nil for the console).
    @discardableResult
    public func setPassword(personId: String, newPassword: String, by issuer: String? = nil, now: Date = Date()) throws -> Person {
        if let problem = Passwords.problem(newPassword) { throw problem }
        guard try person(id: personId) != nil else { throw PeopleError.personNotFound }
        let hash = Passwords.hash(newPassword)
        return try database.write { db in
            guard var person = try Person.fetchOne(db, key: personId) else { throw PeopleError.personNotFound }
            person.passwordHash = hash
            try person.update(db)
            try db.execute(sql: "DELETE FROM session WHERE personId = ?", arguments: [person.id])
            try db.execute(sql: "DELETE FROM resetCode WHERE personId = ?", arguments: [person.id])
            try db.execute(sql: "DELETE FROM signInFailure WHERE key = ?", arguments: [SignInThrottle.accountKey(person.login)])
            try Self.audit(db, at: PeopleCheck.seconds(now), personId: issuer, action: "staff.password", pupilId: nil, classId: nil, detail: person.id)
            return person
        }
    }

    // MARK: - Admin setup

    /// Whether the box has no admin yet (then `/admin` asks for the setup code).
    public func adminSetupPending() throws -> Bool {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person WHERE role = 'admin'") ?? 0 } == 0
    }

    /// A new one-time setup code, replacing any earlier one; refused once an admin exists (then
    /// the admin's password is reset with `relais admin reset`).
    public func newAdminSetupCode(now: Date = Date()) throws -> String {
        let code = OneTimeCode.generate()
        try database.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person WHERE role = 'admin'") ?? 0 == 0 else {
                throw PeopleError(.adminExists,
                    "un compte admin existe déjà ; pour retrouver l'accès, faites `relais admin reset --login IDENTIFIANT`",
                    "an admin account exists already; to get access back, run `relais admin reset --login LOGIN`")
            }
            try Self.storeSetupCode(db, code: code, now: PeopleCheck.seconds(now))
        }
        return code
    }

    static func storeSetupCode(_ db: Database, code: String, now: Int64) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO adminSetup (id, codeHash, createdAt, usedAt) VALUES (1, ?, ?, NULL)", arguments: [OneTimeCode.hash(code), now])
    }

    /// Creates the first admin account with the one-time setup code (compared in constant time,
    /// then marked used). Refused once an admin exists or when the code does not match. `login`
    /// nil: generated as for any staff member. The code is checked before the password is hashed
    /// (a wrong code costs no bcrypt); with `address`, wrong codes count as failed sign-ins of
    /// that address (20 in 15 minutes block it).
    @discardableResult
    public func completeAdminSetup(
        code: String, lastName: String, firstName: String, login: String? = nil, password: String, address: String? = nil, now: Date = Date()
    ) throws -> Person {
        let last = try PeopleCheck.name(lastName, "nom", "last name")
        let first = try PeopleCheck.name(firstName, "prénom", "first name")
        let chosenLogin = login.map(PeopleText.normalizedLogin).flatMap { $0.isEmpty ? nil : $0 }
        if let chosenLogin, !PeopleText.isValidLogin(chosenLogin) {
            throw PeopleError(.invalid, "l'identifiant ne peut contenir que a–z, 0–9, « . », « - » et « _ »", "the login may hold only a–z, 0–9, “.”, “-” and “_”")
        }
        if let problem = Passwords.problem(password) { throw problem }
        try checkThrottle(login: "", address: address, now: now)
        let refused = PeopleError(.codeRefused, "ce code de mise en service n'est pas valable", "this setup code is not valid")
        func check(_ db: Database) throws {
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person WHERE role = 'admin'") ?? 0 == 0 else {
                throw PeopleError(.adminExists, "le compte admin a déjà été créé", "the admin account was already created")
            }
            let row = try Row.fetchOne(db, sql: "SELECT codeHash, usedAt FROM adminSetup WHERE id = 1")
            let stored: String = row?["codeHash"] ?? String(repeating: "0", count: 64)
            let unused = row != nil && (row?["usedAt"] as Int64?) == nil
            guard Secrets.constantTimeEqual(stored, OneTimeCode.hash(code)), unused else { throw refused }
        }
        do {
            try database.read(check)
        } catch let error as PeopleError where error == refused {
            if let address { try recordSignInFailure(login: "", address: address, now: now) }
            throw error
        }
        let hash = Passwords.hash(password)
        return try database.write { db in
            try check(db)  // again: another request may have used the code meanwhile
            var person = try Self.insertStaff(db, lastName: last, firstName: first, role: .admin, email: nil, login: chosenLogin, now: PeopleCheck.seconds(now))
            person.passwordHash = hash
            try person.update(db)
            try db.execute(sql: "UPDATE adminSetup SET usedAt = ? WHERE id = 1", arguments: [PeopleCheck.seconds(now)])
            try Self.audit(db, at: PeopleCheck.seconds(now), personId: person.id, action: "admin.setup", pupilId: nil, classId: nil, detail: person.login)
            return person
        }
    }

    /// Refuses (`.throttled`, saying how long to wait) when the address, or the account when
    /// `login` is a real one, is blocked.
    func checkThrottle(login: String, address: String?, now: Date) throws {
        guard let wait = try signInAllowed(login: login, address: address ?? "", now: now) else { return }
        let minutes = max(1, (wait.components.seconds + 59) / 60)
        throw PeopleError(.throttled, "trop d'essais ; réessayez dans \(minutes) min", "too many attempts; try again in \(minutes) min")
    }

    // MARK: - Reset codes

    /// How long a reset code stays valid.
    public static let resetCodeValidity: Duration = .seconds(72 * 3600)

    /// A one-time code with which the person sets a new password (valid 72 h); earlier codes of
    /// that person stop working. Returned once: only its SHA-256 is stored.
    public func issueResetCode(personId: String, by issuer: String? = nil, now: Date = Date()) throws -> String {
        let code = OneTimeCode.generate()
        let seconds = PeopleCheck.seconds(now)
        try database.write { db in
            guard try Person.fetchOne(db, key: personId) != nil else { throw PeopleError.personNotFound }
            try db.execute(sql: "DELETE FROM resetCode WHERE personId = ?", arguments: [personId])
            try db.execute(
                sql: "INSERT INTO resetCode (personId, codeHash, createdAt, expiresAt, usedAt) VALUES (?, ?, ?, ?, NULL)",
                arguments: [personId, OneTimeCode.hash(code), seconds, seconds + Box.resetCodeValidity.components.seconds])
            try Self.audit(db, at: seconds, personId: issuer, action: "staff.resetCode", pupilId: nil, classId: nil, detail: personId)
        }
        return code
    }

    /// Sets a new password with a reset code; the code is used up and the person's sessions end.
    /// Every refusal about the login or code is the same generic one. The code is checked before
    /// the password is hashed; wrong codes count as failed sign-ins of the login (and of
    /// `address` when given), so 5 wrong codes block that login for 15 minutes.
    @discardableResult
    public func redeemResetCode(login: String, code: String, newPassword: String, address: String? = nil, now: Date = Date()) throws -> Person {
        if let problem = Passwords.problem(newPassword) { throw problem }
        try checkThrottle(login: login, address: address, now: now)
        let refused = PeopleError(.codeRefused, "identifiant ou code non valable (un code sert une fois, pendant 72 h)", "login or code not valid (a code works once, for 72 h)")
        let seconds = PeopleCheck.seconds(now)
        func check(_ db: Database) throws -> Person {
            guard let person = try Person.filter(Person.PersonColumns.login == PeopleText.normalizedLogin(login)).fetchOne(db), !person.disabled else { throw refused }
            let candidates = try String.fetchAll(
                db, sql: "SELECT codeHash FROM resetCode WHERE personId = ? AND usedAt IS NULL AND expiresAt > ?", arguments: [person.id, seconds])
            let typed = OneTimeCode.hash(code)
            guard candidates.contains(where: { Secrets.constantTimeEqual($0, typed) }) else { throw refused }
            return person
        }
        do {
            _ = try database.read(check)
        } catch let error as PeopleError where error == refused {
            try recordSignInFailure(login: login, address: address ?? "", now: now)
            throw error
        }
        let hash = Passwords.hash(newPassword)
        return try database.write { db in
            var person = try check(db)
            try db.execute(sql: "UPDATE resetCode SET usedAt = ? WHERE personId = ?", arguments: [seconds, person.id])
            person.passwordHash = hash
            try person.update(db)
            try db.execute(sql: "DELETE FROM session WHERE personId = ?", arguments: [person.id])
            try db.execute(sql: "DELETE FROM signInFailure WHERE key = ?", arguments: [SignInThrottle.accountKey(person.login)])
            return person
        }
    }
}
