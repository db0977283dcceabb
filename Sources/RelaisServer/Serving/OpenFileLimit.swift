#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit (RLIMIT_NOFILE). Every connection and every file being served
/// takes a descriptor; a systemd service starts with a soft limit of 1024, which a single device
/// can exhaust, so `relais serve` raises it to the hard limit first.
public enum OpenFileLimit {
    /// The soft and hard limits now.
    public static func current() -> (soft: Int, hard: Int) {
        var limit = rlimit()
        guard getNoFile(&limit) == 0 else { return (1024, 1024) }
        return (clamp(limit.rlim_cur), clamp(limit.rlim_max))
    }

    /// What `raiseToHardLimit` did.
    public struct Raise: Sendable, Equatable {
        public var before: Int
        public var after: Int
        public var hard: Int
        /// Set when the raise was refused (errno text).
        public var failure: String?
    }

    /// Raises the soft limit to the hard one (an unlimited hard limit counts as the kernel's
    /// per-process ceiling, `fs.nr_open`, since Linux refuses an infinite RLIMIT_NOFILE).
    @discardableResult
    public static func raiseToHardLimit() -> Raise {
        var limit = rlimit()
        guard getNoFile(&limit) == 0 else {
            return Raise(before: 1024, after: 1024, hard: 1024, failure: String(cString: strerror(errno)))
        }
        let before = clamp(limit.rlim_cur)
        var target = limit.rlim_max
        if target == unlimited { target = rlim_t(kernelCeiling()) }
        if limit.rlim_cur == unlimited || limit.rlim_cur >= target {
            return Raise(before: before, after: before, hard: clamp(limit.rlim_max), failure: nil)
        }
        var raised = limit
        raised.rlim_cur = target
        guard setNoFile(&raised) == 0 else {
            return Raise(before: before, after: before, hard: clamp(limit.rlim_max), failure: String(cString: strerror(errno)))
        }
        return Raise(before: before, after: clamp(target), hard: clamp(limit.rlim_max), failure: nil)
    }

    /// How many connections each of the two ports may hold open at once for a soft limit of
    /// `softLimit` descriptors: 256 are kept back for the database, logs and the event loops, and
    /// the rest is shared so that a content connection may hold a second descriptor (the large
    /// file it streams): portal n + content 2n ≤ limit − 256.
    public static func connectionsPerPort(softLimit: Int) -> Int {
        max(64, min(1 << 20, (softLimit - 256) / 3))
    }

    /// RLIM_INFINITY (the C macro is a cast of -1 that Swift cannot import on Linux).
    private static var unlimited: rlim_t {
        #if os(Linux)
        rlim_t.max
        #else
        RLIM_INFINITY
        #endif
    }

    private static func clamp(_ value: rlim_t) -> Int {
        value == unlimited || value > rlim_t(Int.max) ? Int.max : Int(value)
    }

    private static func kernelCeiling() -> Int {
        #if os(Linux)
        // /proc/sys/fs/nr_open: at most what setrlimit accepts for RLIMIT_NOFILE.
        let fd = open("/proc/sys/fs/nr_open", O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            defer { close(fd) }
            var bytes = [UInt8](repeating: 0, count: 32)
            let count = read(fd, &bytes, bytes.count)
            if count > 0, let value = Int(String(decoding: bytes[0..<count], as: UTF8.self).trimmingNewline) { return value }
        }
        return 1 << 20
        #else
        return Int(OPEN_MAX)
        #endif
    }

    private static func getNoFile(_ limit: inout rlimit) -> Int32 {
        #if os(Linux)
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
        getrlimit(RLIMIT_NOFILE, &limit)
        #endif
    }

    private static func setNoFile(_ limit: inout rlimit) -> Int32 {
        #if os(Linux)
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
        setrlimit(RLIMIT_NOFILE, &limit)
        #endif
    }
}

extension String {
    fileprivate var trimmingNewline: String {
        var text = self
        while let last = text.last, last.isWhitespace || last == "\0" { text.removeLast() }
        return text
    }
}
