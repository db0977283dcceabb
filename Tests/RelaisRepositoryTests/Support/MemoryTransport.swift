import Foundation
import RelaisRepository

/// A repository held in memory that records what the client asked for, so a test can assert
/// exactly which files a refresh fetched and from which offset a download resumed. It enforces
/// `maxLength` the way the real transports do.
final class MemoryTransport: RepositoryTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var metadataFiles: [String: [UInt8]] = [:]
    private var targetFiles: [String: [UInt8]] = [:]
    private var fetchedNames: [String] = []
    private var targetRequests: [(path: String, offset: Int64)] = []
    /// Answer a resumed request with the whole body, as a server ignoring Range does.
    var ignoresRange = false

    subscript(metadata name: String) -> [UInt8]? {
        get { lock.withLock { metadataFiles[name] } }
        set { lock.withLock { metadataFiles[name] = newValue } }
    }

    subscript(target path: String) -> [UInt8]? {
        get { lock.withLock { targetFiles[path] } }
        set { lock.withLock { targetFiles[path] = newValue } }
    }

    /// Metadata names fetched so far, in order (missing ones included).
    var fetched: [String] { lock.withLock { fetchedNames } }
    var requestedTargets: [(path: String, offset: Int64)] { lock.withLock { targetRequests } }

    func resetLog() { lock.withLock { fetchedNames.removeAll(); targetRequests.removeAll() } }

    func metadata(_ name: String, maxLength: Int64) async throws(TransportError) -> [UInt8] {
        let bytes = lock.withLock { () -> [UInt8]? in
            fetchedNames.append(name)
            return metadataFiles[name]
        }
        guard let bytes else { throw .notFound(name) }
        guard bytes.count <= maxLength else { throw .tooLarge(name, limit: maxLength) }
        return bytes
    }

    func target(_ path: String, from offset: Int64, maxLength: Int64, into sink: any TargetSink) async throws(TransportError) {
        let bytes = lock.withLock { () -> [UInt8]? in
            targetRequests.append((path, offset))
            return targetFiles[path]
        }
        guard let bytes else { throw .notFound(path) }
        do {
            var start = Int(offset)
            if ignoresRange && offset > 0 {
                try sink.restart()
                start = 0
            }
            let sent = Array(bytes[min(start, bytes.count)...].prefix(Int(maxLength) - start))
            try sent.withUnsafeBytes { try sink.write($0) }
        } catch {
            throw .io("\(error)")
        }
        if Int64(bytes.count) > maxLength { throw .tooLarge(path, limit: maxLength) }
    }
}
