import Foundation
import GRDB
import RelaisCore
@testable import RelaisStore
import RelaisTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `relais status`'s facts (licences ending soon, clock, addresses, disk, warnings) and `relais
/// doctor`'s local checks, each problem provoked for real on a box's data folder.
struct ObserveStatusTests {
    static func iso(_ seconds: Int64) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Three abonnements: one ending in 3 days, one renewed by a second that runs on, one far off.
    static func licence(now: Int64) -> String {
        func abonnement(_ id: String, _ resource: String, _ start: Int64, _ end: Int64) -> String {
            """
            {"idAbonnement":"\(id)","idRessource":"\(resource)","libelleRessource":"Titre \(resource)","debutValidite":"\(iso(start))",
            "finValidite":"\(iso(end))","typeAffectation":"ETABL","nbLicenceGlobale":"ILLIMITE","publicCible":["ELEVE"]}
            """
        }
        let day: Int64 = 86_400
        return """
            {"uai":"0750654D","abonnements":[\([
                abonnement("A-SOON", "fr.relais.test.calcul", now - 300 * day, now + 3 * day - 60),
                abonnement("A-OLD", "fr.relais.test.lecture", now - 300 * day, now + 10 * day),
                abonnement("A-NEW", "fr.relais.test.lecture", now + 10 * day, now + 400 * day),
                abonnement("A-FAR", "fr.relais.test.geo", now - 10 * day, now + 200 * day),
            ].joined(separator: ","))]}
            """
    }

    @Test func licencesEndingWithin30DaysAreListedWithTheirDaysLeftAndWarnedAbout() throws {
        let t = try TestBox()
        try t.importFromRepository(try t.bundle(id: "fr.relais.test.calcul", files: ["index.html": "c"]), id: "fr.relais.test.calcul")
        let now = Int64(Date().timeIntervalSince1970)
        try t.storeLicence(Self.licence(now: now))
        let status = try t.box.status(clock: Date(timeIntervalSince1970: TimeInterval(now)), addresses: [])
        #expect(status.expiringLicences.map(\.idAbonnement) == ["A-SOON"])
        let soon = try #require(status.expiringLicences.first)
        #expect(soon.bundle == "fr.relais.test.calcul" && soon.daysLeft == 3 && soon.installed)
        #expect(status.warnings.contains { $0.code == "licenceExpiring" && $0.fr.contains("3 jours") && $0.fr.contains("A-SOON") })
        // A month later the first one has ended (not « expiring » any more) and A-OLD is renewed by A-NEW.
        let later = try t.box.status(clock: Date(timeIntervalSince1970: TimeInterval(now + 40 * 86_400)), addresses: [])
        #expect(later.expiringLicences.isEmpty)
        // JSON keys are the contract README documents.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(status)) as? [String: Any]
        let first = try #require((json?["expiringLicences"] as? [[String: Any]])?.first)
        #expect(Set(first.keys) == ["bundle", "title", "idAbonnement", "finValidite", "daysLeft", "installed"])
        for key in ["version", "uai", "name", "disk", "clock", "network", "warnings", "upstream", "sync"] {
            #expect(json?[key] != nil, "\(key) missing from status --json")
        }
    }

    @Test func theClockIsBehindWhenEarlierThanTheVerifiedTimeAndAheadWhenFarPastIt() throws {
        let t = try TestBox()
        let verified: Int64 = 1_800_000_000
        #expect(try t.box.status(clock: Date(timeIntervalSince1970: 1_700_000_000), addresses: []).clock.state == "unknown")
        try t.box.recordSyncSuccess(verifiedAt: verified, source: "/tmp/depot", rootVersion: 1, targetsVersion: 1)
        let behind = try t.box.status(clock: Date(timeIntervalSince1970: TimeInterval(verified - 7_200)), addresses: [])
        #expect(behind.clock.state == "behind" && behind.clock.behindBySeconds == 7_200)
        #expect(behind.warnings.contains { $0.code == "clockBehind" && $0.fr.contains("timedatectl set-ntp true") })
        let fine = try t.box.status(clock: Date(timeIntervalSince1970: TimeInterval(verified + 30 * 86_400)), addresses: [])
        #expect(fine.clock.state == "ok" && !fine.warnings.contains { $0.code.hasPrefix("clock") })
        let ahead = try t.box.status(clock: Date(timeIntervalSince1970: TimeInterval(verified + 400 * 86_400)), addresses: [])
        #expect(ahead.clock.state == "ahead" && ahead.clock.aheadBySeconds == 400 * 86_400)
        #expect(ahead.warnings.contains { $0.code == "clockAhead" })
        // doctor says the same, with the command that fixes it.
        let report = try t.box.environmentChecks(clock: Date(timeIntervalSince1970: TimeInterval(verified - 7_200)))
        #expect(report.problems.contains { $0.hasPrefix("clock:") && $0.hasSuffix("timedatectl set-ntp true (or set the date and check the RTC battery)") })
    }

    @Test func pupilsAreToldTheAddressesThePortalListensOn() throws {
        let t = try TestBox()
        let addresses = [
            HostAddress(interface: "eth0", family: "ipv4", address: "192.168.1.20", linkLocal: false),
            HostAddress(interface: "eth0", family: "ipv6", address: "2001:db8::20", linkLocal: false),
            HostAddress(interface: "eth0", family: "ipv6", address: "fe80::1", linkLocal: true),
        ]
        var network = try t.box.status(addresses: addresses).network
        #expect(network.urls == ["http://relais.local:8080/", "http://192.168.1.20:8080/", "http://[2001:db8::20]:8080/"])
        try t.box.setSetting("serve.port", to: "80")
        try t.box.setSetting("serve.host", to: "192.168.1.20")
        network = try t.box.status(addresses: addresses).network
        #expect(network.urls == ["http://relais.local/", "http://192.168.1.20/"])
        // No address at all: pupils cannot reach the box, and status says so.
        #expect(try t.box.status(addresses: []).warnings.contains { $0.code == "noAddress" })
        // The machine's own interfaces: never loopback.
        #expect(!HostAddress.current().contains { $0.address == "127.0.0.1" || $0.address == "::1" })
    }

    @Test func diskUsageIsCountedLikeDfAndWarnedFrom85Percent() throws {
        let usage = BoxStatus.DiskUsage(totalBytes: 1_000, usedBytes: 850, freeBytes: 150)
        #expect(usage.usedPercent == 85)
        #expect(BoxStatus.DiskUsage(totalBytes: 1_000, usedBytes: 841, freeBytes: 159).usedPercent == 85)  // rounded up, as df
        let t = try TestBox()
        let real = BoxStatus.DiskUsage.of(path: t.box.directory.root.path)
        #expect(real.totalBytes > 0 && real.freeBytes > 0 && real.usedBytes > 0)
        let report = try t.box.environmentChecks(disk: usage)
        #expect(report.problems.contains { $0.hasPrefix("disk: 85 % used") && $0.contains("relais gc --data \(t.box.directory.root.path)") })
        #expect(try !t.box.environmentChecks(disk: BoxStatus.DiskUsage(totalBytes: 1_000, usedBytes: 840, freeBytes: 160)).problems.contains { $0.hasPrefix("disk:") })
    }

    @Test func aSecretReadableByOthersAndAFileOfAnotherOwnerAreProblemsWithTheirFix() throws {
        let t = try TestBox()
        let root = t.box.directory.root.path
        #expect(try t.box.environmentChecks().problems.isEmpty)
        #expect(chmod(t.box.directory.secretPath, 0o644) == 0)
        var problems = try t.box.environmentChecks().problems
        #expect(problems == ["permissions: \(root)/secret.key has mode 644, readable by others — fix: chmod 600 \(root)/secret.key"])
        #expect(chmod(t.box.directory.secretPath, 0o600) == 0)
        // A file another user owns (a command once run as root in a box owned by relais, say).
        let stray = root + "/tmp/stray"
        #expect(FileManager.default.createFile(atPath: stray, contents: Data("x".utf8)))
        let owner = (try FileManager.default.attributesOfItem(atPath: root)[.ownerAccountID] as? NSNumber)?.uint32Value ?? 0
        #expect(chown(stray, owner == 65_534 ? 0 : 65_534, gid_t(65_534)) == 0)
        problems = try t.box.environmentChecks().problems
        if getuid() == 0 {
            #expect(problems.count == 1)
            #expect(problems.first?.hasPrefix("permissions: 1 file(s) in the data folder are not owned by") == true)
            #expect(problems.first?.hasSuffix("chown -R \(Box.userName(owner)): \(root)") == true)
        }
    }

    @Test func aMissingOrBrokenTrustRootIsAProblemOnlyWhenItMatters() throws {
        let t = try TestBox()
        let root = t.box.directory.root.path
        #expect(try t.box.environmentChecks().problems.isEmpty)  // no repository, no root: local bundles only
        try t.box.setSetting("repository.url", to: "http://depot.invalid/")
        #expect(try t.box.environmentChecks().problems.contains { $0.hasPrefix("trust root: \(t.box.directory.tufPath)/root.json is missing") })
        try FileManager.default.createDirectory(atPath: t.box.directory.tufPath, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: t.box.directory.tufPath + "/root.json", contents: Data("{\"signed\":{}}".utf8)))
        let problems = try t.box.environmentChecks().problems
        #expect(problems.contains { $0.hasPrefix("trust root:") && $0.contains("not a TUF root") && $0.hasSuffix("install -m 644 ROOT.json \(root)/tuf/root.json") })
    }

    /// A copy of a box's database with a page overwritten: `integrity_check` finds it, and the
    /// problem says to restore a backup.
    @Test func aCorruptDatabaseIsFoundByTheFullIntegrityCheck() throws {
        let t = try TestBox()
        for index in 0..<40 {
            try t.importBundle(try t.bundle(id: "fr.relais.test.b\(index)", files: ["index.html": String(repeating: "x", count: index + 1), "page\(index).html": "p"]))
        }
        let copy = t.folder.appendingPathComponent("copie")
        try t.box.database.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try FileManager.default.copyItem(atPath: t.box.directory.root.path, toPath: copy.path)
        // Overwrite the root page of an index (found from sqlite_master) with garbage.
        let pageSize = try t.box.database.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096 }
        let rootPage = try t.box.database.read { db in
            try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'bundleFileByBlob'") ?? 2
        }
        let handle = try FileHandle(forUpdating: copy.appendingPathComponent("relais.sqlite"))
        try handle.seek(toOffset: UInt64((rootPage - 1) * pageSize))
        try handle.write(contentsOf: Data(repeating: 0x5A, count: pageSize))
        try handle.close()
        var logger = t.box.logger
        logger.logLevel = .critical
        let damaged = try Box.open(DataDirectory(copy.path), logger: logger)
        let report = (try? damaged.doctor(deep: false, repair: false)) ?? DoctorReport(problems: ["doctor threw"])
        #expect(report.problems.contains { $0.hasPrefix("database: integrity_check failed") && $0.hasSuffix("relais restore --data \(damaged.directory.root.path) BACKUP_FILE") })
        #expect(try t.box.doctor(deep: false, repair: false).problems.isEmpty)
    }
}
