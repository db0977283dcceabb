#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A repository copied to a folder (a USB stick): `root/metadata/NAME` and `root/targets/PATH`.
/// Names come from metadata the box has not verified yet, so a path that could leave those folders
/// (`..`, absolute, empty or `.` components) is refused before anything is opened.
public struct FolderTransport: RepositoryTransport {
    public let root: String

    public init(root: String) { self.root = root }

    public func metadata(_ name: String, maxLength: Int64) async throws(TransportError) -> [UInt8] {
        // The file name is the URL-quoted one (`1.%3F.json` for role `?`), as an HTTP client
        // asks for it; names of top-level roles are unchanged.
        let quoted = HTTPTransport.encoded(name, keepingSlashes: false)
        guard FolderTransport.isContained(quoted) else {
            throw .io("refusing metadata name \(name): it would leave the repository folder")
        }
        let file = try RegularFile(path: "\(root)/metadata/\(quoted)", name: name)
        defer { file.release() }
        guard file.size <= maxLength else { throw .tooLarge(name, limit: maxLength) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(file.size))
        try file.read(from: 0, limit: maxLength) { chunk in bytes.append(contentsOf: chunk) }
        return bytes
    }

    public func target(_ path: String, from offset: Int64, maxLength: Int64, into sink: any TargetSink) async throws(TransportError) {
        guard FolderTransport.isContained(path) else { throw .io("refusing target path \(path): it would leave the repository folder") }
        let file = try RegularFile(path: "\(root)/targets/\(path)", name: path)
        defer { file.release() }
        guard file.size <= maxLength else { throw .tooLarge(path, limit: maxLength) }
        // A file shorter than the resumed prefix is not the one that prefix came from: start over,
        // as an HTTP server ignoring Range would.
        let start = offset <= file.size ? offset : 0
        func storing(_ body: () throws -> Void) throws(TransportError) {
            do { try body() } catch { throw .io("cannot store \(path): \(error)") }
        }
        if start != offset { try storing { try sink.restart() } }
        try file.read(from: start, limit: maxLength) { chunk throws(TransportError) in try storing { try sink.write(chunk) } }
    }

    /// Whether `path` stays inside the folder it is relative to.
    static func isContained(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.utf8.contains(0) else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}

/// An open regular file (a FIFO or device on a stick would block or never end).
private struct RegularFile {
    let descriptor: Int32
    let size: Int64
    let name: String

    init(path: String, name: String) throws(TransportError) {
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .notFound(name) }
            throw .io("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .io("\(path) is not a regular file")
        }
        descriptor = fd
        size = Int64(info.st_size)
        self.name = name
    }

    func release() { close(descriptor) }

    /// Reads from `offset` to the end in 1 MiB chunks, never past `limit` bytes of the file.
    func read(from offset: Int64, limit: Int64, _ body: (UnsafeRawBufferPointer) throws(TransportError) -> Void) throws(TransportError) {
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 1)
        defer { buffer.deallocate() }
        var position = offset
        while true {
            let count = pread(descriptor, buffer.baseAddress, chunk, off_t(position))
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("cannot read \(name): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return }
            position += Int64(count)
            guard position <= limit else { throw .tooLarge(name, limit: limit) }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}

