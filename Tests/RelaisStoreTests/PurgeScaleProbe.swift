import Foundation
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import RelaisXAPI
import Testing

/// A scale probe, not a check: `RELAIS_PROBE=1 swift test --skip-build --disable-xctest --filter
/// PurgeScaleProbe` prints how long purging 1,000 pupils' 10,000 statements, launches and launch
/// credentials takes (2.0 s in a debug build on 2026-12-04; 8.9 s before `statementRelationBySeq`).
struct PurgeScaleProbe {
    @Test func purgeOfAThousandPupils() throws {
        guard ProcessInfo.processInfo.environment["RELAIS_PROBE"] != nil else { return }
        let t = try TestBox()
        let box = t.box
        let authority: JSONValue = ["objectType": "Agent", "account": ["homePage": "https://relais.invalid/0750654D", "name": "box"]]
        let old = Date(timeIntervalSince1970: 1_700_000_000)
        var csv = "prénom;initiale;classe\n"
        for i in 0..<1000 { csv += "P\(i);M;C\(i / 25)\n" }
        let pupils = try box.applyPupilImport(Array(csv.utf8), createMissingClasses: true).get().created
        let pseudonymizer = try box.pseudonymizer()
        var statements: [JSONValue] = []
        for pupil in pupils {
            for k in 0..<10 {
                let registration = StatementID.random()
                try box.recordLaunch(LaunchRecord(registration: registration, bundleId: "b", version: "1", learnerId: pupil.id, createdAt: Int64(old.timeIntervalSince1970), standard: "html5"))
                _ = try box.addLaunchCredential(actor: pseudonymizer.account(forLocalUser: pupil.id), registration: registration, expiresAt: nil, now: old)
                statements.append(["actor": pseudonymizer.account(forLocalUser: pupil.id), "verb": ["id": "http://adlnet.gov/expapi/verbs/experienced"],
                                   "object": ["id": .string("https://a/\(k)")], "context": ["registration": .string(registration)]])
            }
        }
        try box.storeStatements(statements, authority: authority, credential: nil, now: old)
        try box.acknowledgeOutbox(try box.outboxBatch(after: 0, limit: 100_000).map(\.seq), at: 0)
        let clock = ContinuousClock()
        var report = PurgeReport()
        let elapsed = try clock.measure { report = try box.purge(now: Date(timeIntervalSince1970: 1_800_000_000)) }
        print("purge of 1000 pupils, \(report.statements) statements, \(report.launches) launches, \(report.credentials) credentials: \(elapsed)")
        let removal = try clock.measure { _ = try box.removeClass(id: try box.classes()[0].id) }
        print("removal of a class of 25: \(removal)")
    }
}
