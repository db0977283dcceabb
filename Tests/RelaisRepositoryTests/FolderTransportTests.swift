import Foundation
import RelaisRepository
import Testing

/// A repository on a USB stick: files read bounded, names that would leave the folder refused.
struct FolderTransportTests {
    final class Collect: TargetSink {
        var bytes: [UInt8] = []
        func restart() { bytes.removeAll() }
        func write(_ chunk: UnsafeRawBufferPointer) { bytes.append(contentsOf: chunk) }
    }

    func stick() throws -> String {
        let root = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: root + "/metadata", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/targets/dir", withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: root + "/metadata/timestamp.json"))
        try Data("0123456789".utf8).write(to: URL(fileURLWithPath: root + "/targets/dir/file"))
        return root
    }

    @Test func readsMetadataAndTargetsFromAnOffset() async throws {
        let transport = FolderTransport(root: try stick())
        #expect(try await transport.metadata("timestamp.json", maxLength: 100) == Array("{}".utf8))
        let sink = Collect()
        try await transport.target("dir/file", from: 4, maxLength: 10, into: sink)
        #expect(sink.bytes == Array("456789".utf8))
    }

    @Test func missingFilesAreNotFoundAndLargeOnesTooLarge() async throws {
        let transport = FolderTransport(root: try stick())
        await #expect { try await transport.metadata("2.root.json", maxLength: 100) } throws: { error in
            if case .notFound("2.root.json")? = error as? TransportError { return true }
            return false
        }
        await #expect { try await transport.target("dir/file", from: 0, maxLength: 9, into: Collect()) } throws: { error in
            if case .tooLarge("dir/file", 9)? = error as? TransportError { return true }
            return false
        }
    }

    @Test(arguments: ["../secret", "dir/../../secret", "/etc/passwd", "dir//file", "./file", "dir/.."])
    func refusesPathsLeavingTheFolder(path: String) async throws {
        let transport = FolderTransport(root: try stick())
        await #expect { try await transport.target(path, from: 0, maxLength: 100, into: Collect()) } throws: { error in
            if case .io? = error as? TransportError { return true }
            return false
        }
    }

    /// A metadata name is one file name, URL-quoted as a client asks for it over HTTP (a delegated
    /// role may be named `../x`): it never reaches a file outside metadata/.
    @Test(arguments: ["../secret", "dir/../../secret", "/etc/passwd", "dir//file", "./file", "dir/.."])
    func metadataNamesNeverLeaveTheFolder(path: String) async throws {
        let root = try stick()
        try Data("secret".utf8).write(to: URL(fileURLWithPath: root + "/secret"))
        let transport = FolderTransport(root: root)
        await #expect { try await transport.metadata(path, maxLength: 100) } throws: { error in
            if case .notFound? = error as? TransportError { return true }
            return false
        }
    }

    @Test func aDelegatedRoleNameIsReadUnderItsQuotedFileName() async throws {
        let root = try stick()
        try Data("quoted".utf8).write(to: URL(fileURLWithPath: root + "/metadata/1...%2Fx.json"))
        try Data("question".utf8).write(to: URL(fileURLWithPath: root + "/metadata/1.%3F.json"))
        let transport = FolderTransport(root: root)
        #expect(try await transport.metadata("1.../x.json", maxLength: 100) == Array("quoted".utf8))
        #expect(try await transport.metadata("1.?.json", maxLength: 100) == Array("question".utf8))
    }
}
