#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `Date` header value, formatted at most once a second, and the last `Last-Modified` value.
///
/// One per event loop and only touched from it, so it needs no lock. Formatting a date is a few
/// hundred nanoseconds; at tens of thousands of responses a second that is worth caching.
final class HTTPDateClock {
    private var currentSecond: Int64 = .min
    private var currentText: String = ""
    private var lastModifiedSecond: Int64 = .min
    private var lastModifiedText: String = ""
    private let now: () -> Int64

    /// A clock reading the system time; tests pass their own `now`.
    init(now: @escaping () -> Int64 = { Int64(time(nil)) }) {
        self.now = now
    }

    /// The IMF-fixdate of the current second.
    var date: String {
        let second = now()
        if second != currentSecond {
            currentSecond = second
            currentText = HTTPDate.format(second)
        }
        return currentText
    }

    /// The IMF-fixdate of `seconds`, reusing the previous answer: the files of one bundle version
    /// share one activation time, so consecutive requests almost always ask for the same date.
    func lastModified(_ seconds: Int64) -> String {
        if seconds != lastModifiedSecond {
            lastModifiedSecond = seconds
            lastModifiedText = HTTPDate.format(seconds)
        }
        return lastModifiedText
    }
}
