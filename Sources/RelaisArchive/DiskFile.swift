#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file from disk in large blocks into one reused buffer (no copy per block).
enum DiskFile {
    static let blockSize = 1 << 20

    /// Hands the file's bytes to `body`, block by block.
    static func stream(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let source = open(path, O_RDONLY)
        guard source >= 0 else { throw ArchiveError.sourceUnreadable(path: path, reason: systemError()) }
        defer { close(source) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(source, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw ArchiveError.sourceUnreadable(path: path, reason: systemError()) }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// The message of the current `errno`.
    static func systemError() -> String { String(cString: strerror(errno)) }
}
