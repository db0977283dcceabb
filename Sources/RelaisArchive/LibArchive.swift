import CArchive

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small helpers around the libarchive C API shared by the reader and the writer.
enum LibArchive {
    /// libarchive converts entry names through the current locale's charset; in the "C" locale a zip
    /// name flagged UTF-8 comes back NULL. A per-thread UTF-8 locale (never setlocale, which is
    /// process-wide) gives the same names whatever locale the process runs in.
    nonisolated(unsafe) static let utf8Locale = relais_new_utf8_locale()
    /// The "C" locale, in which libarchive's zip writer stores a name as raw bytes, unflagged.
    nonisolated(unsafe) static let posixLocale = relais_new_posix_locale()

    /// Runs `body` with the UTF-8 locale on this thread, then restores the thread's locale.
    static func withUTF8Locale<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try with(utf8Locale, body)
    }

    /// Runs `body` with `locale` on this thread (unchanged when nil), then restores the thread's.
    static func with<T, E: Error>(_ locale: locale_t?, _ body: () throws(E) -> T) throws(E) -> T {
        guard let locale else { return try body() }
        let previous = uselocale(locale)
        defer { uselocale(previous) }
        return try body()
    }

    /// The bytes of a C string (nil stays nil), without assuming they are UTF-8.
    static func bytes(_ text: UnsafePointer<CChar>?) -> [UInt8]? {
        guard let text else { return nil }
        return Array(UnsafeBufferPointer(start: text, count: strlen(text))).map { UInt8(bitPattern: $0) }
    }

    /// The archive's last error message, for error reports.
    static func errorString(_ archive: OpaquePointer) -> String {
        guard let message = archive_error_string(archive) else { return "unknown libarchive error" }
        return String(decoding: bytes(message) ?? [], as: UTF8.self)
    }

    /// Tar device, FIFO and socket types, by the word we use in refusals.
    static func specialTypeName(_ type: UInt32) -> String? {
        switch type {
        case relais_AE_IFCHR: return "character device"
        case relais_AE_IFBLK: return "block device"
        case relais_AE_IFIFO: return "FIFO"
        case relais_AE_IFSOCK: return "socket"
        case relais_AE_IFREG, relais_AE_IFDIR, relais_AE_IFLNK: return nil
        default: return "file of unknown type"
        }
    }
}
