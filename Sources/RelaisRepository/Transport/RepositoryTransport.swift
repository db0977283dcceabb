/// Where a TUF repository's files come from: an HTTP server or a folder (a USB copy). The client
/// workflow is the same for both; only fetching differs, and every fetch is bounded by a length the
/// caller takes from signed metadata (or a default maximum), so an endless or oversized answer
/// cannot fill the disk or the memory.
public protocol RepositoryTransport: Sendable {
    /// Metadata file `name` ("timestamp.json", "4.root.json", "3.snapshot.json"...). Refuses more than
    /// `maxLength` bytes (stops reading, throws `.tooLarge`). Throws `.notFound` when absent (HTTP 404/403,
    /// missing file).
    func metadata(_ name: String, maxLength: Int64) async throws(TransportError) -> [UInt8]

    /// Target `path` (relative to the targets base, consistent-snapshot hash prefix already applied)
    /// from byte `offset` on, written into `sink`, never more than `maxLength` bytes in total counting
    /// the offset. If the server ignores the Range request (200 instead of 206), the transport calls
    /// `sink.restart()` and writes the whole body.
    func target(_ path: String, from offset: Int64, maxLength: Int64, into sink: any TargetSink) async throws(TransportError)
}

/// Receives a target's bytes as they arrive, so a large bundle never sits in memory.
public protocol TargetSink: AnyObject {
    /// Drops what was written so far (including any resumed prefix): the body starts over at byte 0.
    func restart() throws
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// Why a file could not be fetched; each description is one line saying what to do.
public enum TransportError: Error, CustomStringConvertible {
    case notFound(String)
    case tooLarge(String, limit: Int64)
    case unreachable(String, reason: String)
    case httpStatus(String, Int)
    case io(String)

    public var description: String {
        switch self {
        case .notFound(let name):
            return "\(name) is not in the repository; check the repository address (or the USB stick's metadata/ and targets/ folders)"
        case .tooLarge(let name, let limit):
            return "\(name) is larger than the \(limit) bytes its signed metadata allows; the repository or the connection may be tampered with: do not use it"
        case .unreachable(let url, let reason):
            return "cannot reach \(url) (\(reason)); check the network and the repository address, then try again"
        case .httpStatus(let url, let status):
            return "the repository answered HTTP \(status) for \(url); try again later or tell the hub"
        case .io(let why):
            return "\(why); check the disk or the USB stick, then try again"
        }
    }
}
