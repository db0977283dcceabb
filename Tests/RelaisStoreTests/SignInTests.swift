import Foundation
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import Testing

/// Sign-in, sessions, throttling, setup and reset codes. bcrypt at cost 12 takes a fraction of a
/// second per hash even here, so these tests hash as few passwords as they can.
struct SignInTests {
    let t0 = Date(timeIntervalSince1970: 1_788_251_400)  // 2026-09-01 08:30 UTC

    /// A box with a teacher whose password is set through a reset code, as the admin would do it.
    func teacher(_ t: TestBox, password: String = "correct horse battery") throws -> Person {
        let person = try t.box.addStaff(lastName: "Diallo", firstName: "Aïssata", role: .enseignant)
        let code = try t.box.issueResetCode(personId: person.id, now: t0)
        return try t.box.redeemResetCode(login: person.login, code: code, newPassword: password, now: t0)
    }

    @Test func oneBcryptHashAtCost12() throws {
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = Passwords.hash("mesure du temps d'un hachage") }
        let verify = clock.measure { _ = Passwords.verify("mesure du temps d'un hachage", hash: Passwords.dummyHash) }
        print("bcrypt cost \(Passwords.cost): hash \(elapsed), verify \(verify) (debug build)")
        #expect(Passwords.dummyHash.hasPrefix("$2b$12$") || Passwords.dummyHash.hasPrefix("$2y$12$") || Passwords.dummyHash.hasPrefix("$2a$12$"))
    }

    @Test func setupCodeCreatesTheFirstAdminOnce() throws {
        let t = try TestBox()
        let code = try #require(t.box.adminSetupCode)
        #expect(code.count == 12 && code.split(separator: "-").map(\.count) == [4, 4, 2])
        #expect(!code.contains { "01OIL".contains($0) })
        // Only its hash is stored.
        let stored = try t.box.database.read { db in try String.fetchOne(db, sql: "SELECT codeHash FROM adminSetup") }
        #expect(stored != nil && stored != code && !(stored ?? "").contains(OneTimeCode.normalized(code)))
        #expect(try t.box.adminSetupPending())
        #expect(throws: PeopleError.self) {
            try t.box.completeAdminSetup(code: "ABCD-EFGH-JK", lastName: "Robert", firstName: "Marc", password: "un mot de passe long", now: t0)
        }
        #expect(throws: PeopleError.self) {  // too short, refused before anything
            try t.box.completeAdminSetup(code: code, lastName: "Robert", firstName: "Marc", password: "court", now: t0)
        }
        // Typed in lowercase without dashes: accepted.
        let admin = try t.box.completeAdminSetup(
            code: code.lowercased().replacingOccurrences(of: "-", with: " "), lastName: "Robert", firstName: "Marc", login: "Direction",
            password: "un mot de passe long", now: t0)
        #expect(admin.role == .admin && admin.login == "direction" && admin.hasPassword)
        #expect(!(try t.box.adminSetupPending()))
        do {
            try t.box.completeAdminSetup(code: code, lastName: "Autre", firstName: "Personne", password: "un mot de passe long", now: t0)
            Issue.record("the setup code worked twice")
        } catch let error as PeopleError {
            #expect(error.kind == .adminExists)
        }
        #expect(throws: PeopleError.self) { try t.box.newAdminSetupCode(now: t0) }
        guard case .success(let person, _) = try t.box.signIn(login: "DIRECTION ", password: "un mot de passe long", address: "10.0.0.5", now: t0) else {
            Issue.record("the new admin could not sign in")
            return
        }
        #expect(person.id == admin.id)
    }

    @Test func aNewSetupCodeReplacesTheOldOne() throws {
        let t = try TestBox()
        let first = try #require(t.box.adminSetupCode)
        let second = try t.box.newAdminSetupCode(now: t0)
        #expect(first != second)
        #expect(throws: PeopleError.self) {
            try t.box.completeAdminSetup(code: first, lastName: "A", firstName: "B", password: "0123456789", now: t0)
        }
        #expect(try t.box.completeAdminSetup(code: second, lastName: "A", firstName: "B", password: "0123456789", now: t0).role == .admin)
    }

    @Test func signInSucceedsRefusesGenericallyAndSessionsSurviveReopening() throws {
        let t = try TestBox()
        let person = try teacher(t)
        guard case .success(_, let session) = try t.box.signIn(login: person.login, password: "correct horse battery", address: "10.0.0.5", now: t0) else {
            Issue.record("sign-in refused")
            return
        }
        #expect(session.token.count == 64 && session.csrfToken.count == 64 && session.token != session.csrfToken)
        // The token is not stored, only its SHA-256.
        let stored = try t.box.database.read { db in try String.fetchAll(db, sql: "SELECT idHash FROM session") }
        #expect(stored.count == 1 && stored[0] != session.token)
        // A new process (restart) finds the session.
        let reopened = try Box.open(t.box.directory, logger: t.box.logger)
        #expect(try reopened.session(token: session.token, now: t0.addingTimeInterval(60))?.person.id == person.id)
        #expect(try reopened.session(token: session.token, now: t0)?.csrfToken == session.csrfToken)
        #expect(try t.box.signIn(login: person.login, password: "wrong password!", address: "10.0.0.5", now: t0) == .refused)
        #expect(try t.box.signIn(login: "nobody.here", password: "correct horse battery", address: "10.0.0.5", now: t0) == .refused)
        try t.box.deleteSession(token: session.token)
        #expect(try t.box.session(token: session.token, now: t0) == nil)
    }

    @Test func staffWithoutPasswordOrDisabledCannotSignIn() throws {
        let t = try TestBox()
        let fresh = try t.box.addStaff(lastName: "Petit", firstName: "Léon", role: .enseignant)
        #expect(try t.box.signIn(login: fresh.login, password: "", address: "a", now: t0) == .refused)
        let person = try teacher(t)
        let session = try t.box.createSession(personId: person.id, now: t0)
        try t.box.addStaff(lastName: "Admin", firstName: "Autre", role: .admin)
        try t.box.setStaffDisabled(id: person.id, true)
        #expect(try t.box.session(token: session.token, now: t0) == nil)
        #expect(try t.box.signIn(login: person.login, password: "correct horse battery", address: "a", now: t0) == .refused)
    }

    @Test func sessionsExpireWhenIdleAndAfterTheirMaximumAge() throws {
        let t = try TestBox()
        let person = try t.box.addStaff(lastName: "Diallo", firstName: "Ada", role: .enseignant)
        let session = try t.box.createSession(personId: person.id, now: t0)
        // Used every 100 minutes: never idle for 120, until 12 hours have passed.
        var now = t0
        for _ in 0..<7 {
            now = now.addingTimeInterval(100 * 60)
            #expect(try t.box.session(token: session.token, now: now) != nil)
        }
        #expect(now.timeIntervalSince(t0) == 700 * 60)
        #expect(try t.box.session(token: session.token, now: t0.addingTimeInterval(12 * 3600 + 1)) == nil)

        let idle = try t.box.createSession(personId: person.id, now: t0)
        #expect(try t.box.session(token: idle.token, now: t0.addingTimeInterval(119 * 60)) != nil)
        #expect(try t.box.session(token: idle.token, now: t0.addingTimeInterval((119 + 121) * 60)) == nil)
        // Settings change the limits.
        try t.box.setSetting("portal.sessionIdleMinutes", to: "5")
        let short = try t.box.createSession(personId: person.id, now: t0)
        #expect(try t.box.session(token: short.token, now: t0.addingTimeInterval(6 * 60)) == nil)
    }

    @Test func lastSeenIsWrittenAtMostOnceAMinute() throws {
        let t = try TestBox()
        let person = try t.box.addStaff(lastName: "Diallo", firstName: "Ada", role: .enseignant)
        let session = try t.box.createSession(personId: person.id, now: t0)
        func lastSeen() throws -> Int64? { try t.box.database.read { db in try Int64.fetchOne(db, sql: "SELECT lastSeenAt FROM session") } }
        _ = try t.box.session(token: session.token, now: t0.addingTimeInterval(30))
        #expect(try lastSeen() == Int64(t0.timeIntervalSince1970))
        _ = try t.box.session(token: session.token, now: t0.addingTimeInterval(61))
        #expect(try lastSeen() == Int64(t0.timeIntervalSince1970) + 61)
    }

    @Test func fiveFailuresBlockTheAccountFor15Minutes() throws {
        let t = try TestBox()
        let person = try teacher(t)
        for i in 0..<5 {
            #expect(try t.box.signIn(login: person.login, password: "devine \(i) essai", address: "10.0.0.\(i)", now: t0.addingTimeInterval(Double(i * 60))) == .refused)
        }
        // Even the right password is refused now, from any address, until the first failure is 15 minutes old.
        let blocked = try t.box.signIn(login: person.login, password: "correct horse battery", address: "10.9.9.9", now: t0.addingTimeInterval(5 * 60))
        #expect(blocked == .throttled(retryAfter: .seconds(10 * 60)))
        #expect(try t.box.signInAllowed(login: person.login, address: "10.9.9.9", now: t0.addingTimeInterval(15 * 60 - 1)) != nil)
        #expect(try t.box.signInAllowed(login: person.login, address: "10.9.9.9", now: t0.addingTimeInterval(15 * 60)) == nil)
        guard case .success = try t.box.signIn(login: person.login, password: "correct horse battery", address: "10.9.9.9", now: t0.addingTimeInterval(15 * 60)) else {
            Issue.record("still blocked after the window")
            return
        }
        // Success cleared the account's failures.
        #expect(try t.box.signInAllowed(login: person.login, address: "10.9.9.9", now: t0.addingTimeInterval(15 * 60)) == nil)
        #expect(try t.box.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM signInFailure WHERE key LIKE 'account:%'") } == 0)
    }

    @Test func twentyFailuresFromOneAddressBlockThatAddress() throws {
        let t = try TestBox()
        for i in 0..<20 { try t.box.recordSignInFailure(login: "user\(i)", address: "10.0.0.66", now: t0) }
        #expect(try t.box.signInAllowed(login: "someone.else", address: "10.0.0.66", now: t0.addingTimeInterval(60)) == .seconds(14 * 60))
        #expect(try t.box.signInAllowed(login: "someone.else", address: "10.0.0.67", now: t0.addingTimeInterval(60)) == nil)
        // Unknown logins are throttled like real ones (nothing tells them apart).
        for _ in 0..<5 { try t.box.recordSignInFailure(login: "personne.inconnue", address: "x", now: t0) }
        #expect(try t.box.signIn(login: "personne.inconnue", password: "whatever!!", address: "y", now: t0) == .throttled(retryAfter: .seconds(15 * 60)))
        // Old failures are purged as new ones come.
        try t.box.recordSignInFailure(login: "late", address: "z", now: t0.addingTimeInterval(3600))
        #expect(try t.box.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM signInFailure") } == 2)
    }

    @Test func aResetCodeWorksOnceFor72HoursAndEndsSessions() throws {
        let t = try TestBox()
        let person = try teacher(t)
        let session = try t.box.createSession(personId: person.id, now: t0)
        let old = try t.box.issueResetCode(personId: person.id, now: t0)
        let code = try t.box.issueResetCode(personId: person.id, now: t0)
        // The earlier code was revoked.
        #expect(throws: PeopleError.self) { try t.box.redeemResetCode(login: person.login, code: old, newPassword: "nouveau mot de passe", now: t0) }
        // Expired after 72 h.
        #expect(throws: PeopleError.self) {
            try t.box.redeemResetCode(login: person.login, code: code, newPassword: "nouveau mot de passe", now: t0.addingTimeInterval(72 * 3600 + 1))
        }
        // Too short a password is refused and the code stays usable.
        #expect(throws: PeopleError.self) { try t.box.redeemResetCode(login: person.login, code: code, newPassword: "court", now: t0) }
        try t.box.redeemResetCode(login: person.login, code: code, newPassword: "nouveau mot de passe", now: t0.addingTimeInterval(3600))
        #expect(try t.box.session(token: session.token, now: t0.addingTimeInterval(3600)) == nil)
        #expect(throws: PeopleError.self) {
            try t.box.redeemResetCode(login: person.login, code: code, newPassword: "encore un autre mot", now: t0.addingTimeInterval(3600))
        }
        // Someone else's login with this person's code: refused.
        let other = try t.box.addStaff(lastName: "Autre", firstName: "Prof", role: .enseignant)
        let otherCode = try t.box.issueResetCode(personId: other.id, now: t0)
        #expect(throws: PeopleError.self) { try t.box.redeemResetCode(login: person.login, code: otherCode, newPassword: "nouveau mot de passe", now: t0) }
    }
}

extension SignInTests {
    @Test func wrongCodesCostNoBcryptAndAreThrottled() throws {
        let t = try TestBox()
        let clock = ContinuousClock()
        // 20 wrong setup codes from one address: each refused at once, then the address is blocked.
        let elapsed = try clock.measure {
            for _ in 0..<20 {
                #expect(throws: PeopleError.self) {
                    try t.box.completeAdminSetup(code: "AAAA-AAAA-AA", lastName: "A", firstName: "B", password: "0123456789", address: "10.0.0.9", now: t0)
                }
            }
        }
        #expect(elapsed < .seconds(5))  // twenty bcrypt hashes would take longer
        do {
            try t.box.completeAdminSetup(code: try #require(t.box.adminSetupCode), lastName: "A", firstName: "B", password: "0123456789", address: "10.0.0.9", now: t0)
            Issue.record("a blocked address could still use the setup code")
        } catch let error as PeopleError {
            #expect(error.kind == .throttled && error.french.contains("15 min"))
        }
        // Another address, or the console (no address), still can.
        #expect(try t.box.completeAdminSetup(code: try #require(t.box.adminSetupCode), lastName: "A", firstName: "B", password: "0123456789", address: "10.0.0.10", now: t0).role == .admin)

        // Five wrong reset codes block that login.
        let person = try t.box.addStaff(lastName: "Petit", firstName: "Léon", role: .enseignant)
        let code = try t.box.issueResetCode(personId: person.id, now: t0)
        for _ in 0..<5 {
            #expect(throws: PeopleError.self) { try t.box.redeemResetCode(login: person.login, code: "BBBB-BBBB-BB", newPassword: "0123456789", now: t0) }
        }
        do {
            try t.box.redeemResetCode(login: person.login, code: code, newPassword: "0123456789", now: t0)
            Issue.record("a blocked login could still redeem a code")
        } catch let error as PeopleError {
            #expect(error.kind == .throttled)
        }
        #expect(try t.box.redeemResetCode(login: person.login, code: code, newPassword: "0123456789", now: t0.addingTimeInterval(15 * 60)).hasPassword)
    }
}

extension SignInTests {
    @Test func changingOnesPasswordEndsTheOtherSessions() throws {
        let t = try TestBox()
        let person = try teacher(t)
        let here = try t.box.createSession(personId: person.id, now: t0)
        let elsewhere = try t.box.createSession(personId: person.id, now: t0)
        #expect(throws: PeopleError.self) { try t.box.changePassword(personId: person.id, current: "pas le bon mot", new: "0123456789", keeping: here.token, now: t0) }
        try t.box.changePassword(personId: person.id, current: "correct horse battery", new: "un tout nouveau mot", keeping: here.token, now: t0)
        #expect(try t.box.session(token: here.token, now: t0) != nil)
        #expect(try t.box.session(token: elsewhere.token, now: t0) == nil)
        guard case .success = try t.box.signIn(login: person.login, password: "un tout nouveau mot", address: "a", now: t0) else {
            Issue.record("the new password does not work")
            return
        }
    }
}

extension SignInTests {
    @Test func aPersonNeverPrintsItsPasswordHash() throws {
        let t = try TestBox()
        let person = try teacher(t)
        let hash = try #require(try t.box.database.read { db in try String.fetchOne(db, sql: "SELECT passwordHash FROM person") })
        for text in ["\(person)", String(reflecting: person), "\(SignInOutcome.success(person, NewSession(token: "t", csrfToken: "c")))"] {
            #expect(!text.contains(hash) && !text.contains("$2"), "\(text)")
        }
    }
}

extension SignInTests {
    /// `relais admin password`: the console sets a password with the same rules, and everything
    /// that let the old one in (sessions, pending codes, counted failures) ends.
    @Test func theConsoleSetsAPasswordWithTheSameRulesAndEndsSessions() throws {
        let t = try TestBox()
        let person = try teacher(t)
        let session = try t.box.createSession(personId: person.id, now: t0)
        let code = try t.box.issueResetCode(personId: person.id, now: t0)
        for _ in 0..<3 { try t.box.recordSignInFailure(login: person.login, address: "", now: t0) }
        do {
            try t.box.setPassword(personId: person.id, newPassword: "court", now: t0)
            Issue.record("a 5-character password was accepted")
        } catch let error as PeopleError {
            #expect(error.kind == .weakPassword)
        }
        // Refused before anything changed: the old session still works.
        #expect(try t.box.session(token: session.token, now: t0) != nil)
        #expect(throws: PeopleError.self) { try t.box.setPassword(personId: "no-such-person", newPassword: "0123456789", now: t0) }

        let updated = try t.box.setPassword(personId: person.id, newPassword: "demo-prof-2026", now: t0)
        #expect(updated.id == person.id && updated.hasPassword)
        #expect(try t.box.session(token: session.token, now: t0) == nil)
        #expect(try t.box.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM signInFailure") } == 0)
        #expect(throws: PeopleError.self) { try t.box.redeemResetCode(login: person.login, code: code, newPassword: "0123456789", now: t0) }
        #expect(try t.box.signIn(login: person.login, password: "correct horse battery", address: "a", now: t0) == .refused)
        guard case .success = try t.box.signIn(login: person.login, password: "demo-prof-2026", address: "a", now: t0) else {
            Issue.record("the password set from the console does not work")
            return
        }
        let entry = try #require(t.box.auditLog(limit: 10).first { $0.action == "staff.password" })
        #expect(entry.personId == nil && entry.detail == person.id)
    }
}
