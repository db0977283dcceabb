import Foundation
import Logging
import RelaisCore
import RelaisStore
import RelaisTestSupport
import Testing

struct BoxTests {
    @Test func initCreatesAnOwnerOnlySecretAndRefusesASecondInit() throws {
        let t = try TestBox()
        let attributes = try FileManager.default.attributesOfItem(atPath: t.box.directory.secretPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.size] as? Int) == 32)
        #expect(try t.box.identity().uai == "0750654D")
        #expect(throws: StoreError.self) {
            try Box.create(at: t.box.directory, uai: try UAI("0750654D"), name: "Encore", logger: Logger(label: "t"))
        }
    }

    @Test func openingAFolderThatIsNotABoxSaysToRunInit() {
        let directory = DataDirectory("/nonexistent/relais-\(UUID().uuidString)")
        do {
            _ = try Box.open(directory, logger: Logger(label: "t"))
            Issue.record("opened a folder that is not a box")
        } catch {
            #expect("\(error)".contains("relais init"))
        }
    }

    @Test func settingsAreCheckedAndDrivesTheArchiveLimits() throws {
        let t = try TestBox()
        #expect(try t.box.setting("import.maxRatio") == "200")
        try t.box.setSetting("import.maxRatio", to: "50")
        #expect(try t.box.archiveLimits().maxRatio == 50)
        #expect(throws: StoreError.self) { try t.box.setSetting("import.maxRatio", to: "beaucoup") }
        #expect(throws: StoreError.self) { try t.box.setSetting("serve.port", to: "70000") }
        #expect(throws: StoreError.self) { try t.box.setting("no.such.key") }
    }
}
