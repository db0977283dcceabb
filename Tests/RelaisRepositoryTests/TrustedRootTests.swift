import Foundation
import RelaisRepository
import Testing

/// A root rotation written by python-tuf 7.0.1: v1 (root key A), v2 (A → B, signed by A and B),
/// v2 signed by only one of them, v3 that expired in 2020, v4, and a v4 that skips v3.
struct TrustedRootTests {
    func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")))
    }

    let now: Int64 = 1_795_910_400  // 2026-11-29

    @Test func followsARotationThroughAnExpiredIntermediateRoot() throws {
        var trusted = try TrustedRoot(bytes: try bytes("rot-1.root.json"))
        try trusted.update(with: try bytes("rot-2.root.json"))
        try trusted.update(with: try bytes("rot-3-expired.root.json"))
        try trusted.update(with: try bytes("rot-4.root.json"))
        #expect(trusted.root.version == 4)
        try trusted.checkFinal(now: now)
    }

    @Test func refusesANewRootMissingTheOldKeysSignature() throws {
        var trusted = try TrustedRoot(bytes: try bytes("rot-1.root.json"))
        #expect(throws: TUFError.belowThreshold(role: "root", valid: 0, threshold: 1)) {
            try trusted.update(with: try bytes("rot-2-new-only.root.json"))
        }
        #expect(trusted.root.version == 1)
    }

    @Test func refusesANewRootMissingItsOwnKeysSignature() throws {
        var trusted = try TrustedRoot(bytes: try bytes("rot-1.root.json"))
        #expect(throws: TUFError.belowThreshold(role: "root", valid: 0, threshold: 1)) {
            try trusted.update(with: try bytes("rot-2-old-only.root.json"))
        }
    }

    @Test func refusesASkippedOrRepeatedVersion() throws {
        var trusted = try TrustedRoot(bytes: try bytes("rot-1.root.json"))
        try trusted.update(with: try bytes("rot-2.root.json"))
        #expect(throws: TUFError.unexpectedVersion(role: "root", expected: 3, got: 4)) { try trusted.update(with: try bytes("rot-4-skip.root.json")) }
        #expect(throws: TUFError.self) { try trusted.update(with: try bytes("rot-2.root.json")) }
        #expect(trusted.root.version == 2)
    }

    @Test func refusesAnExpiredFinalRoot() throws {
        var trusted = try TrustedRoot(bytes: try bytes("rot-1.root.json"))
        try trusted.update(with: try bytes("rot-2.root.json"))
        try trusted.update(with: try bytes("rot-3-expired.root.json"))
        #expect(throws: TUFError.self) { try trusted.checkFinal(now: now) }
    }
}
