/// UTC times as the licence documents (GAR exports) and TUF metadata write them, to and from
/// Unix seconds, without Foundation's calendars: the box must read the same instant whatever
/// its time zone or locale, and the hub must write exactly `YYYY-MM-DDTHH:MM:SSZ`.
public enum UTCTime {
    /// `2026-09-01T00:00:00Z` to Unix seconds; nil for anything else (no fraction, no offset,
    /// and a day that does not exist in that month, such as 2026-02-30, is refused).
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 20, b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            b[19] == UInt8(ascii: "Z"), let day = parseDay(b[0..<10]),
            let hh = number(b[11..<13]), let mm = number(b[14..<16]), let ss = number(b[17..<19]),
            hh < 24, mm < 60, ss < 60
        else { return nil }
        return day * 86_400 + hh * 3_600 + mm * 60 + ss
    }

    /// `2026-09-01` to the Unix seconds of that day's midnight UTC; nil for anything else.
    public static func parseDate(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 10, let day = parseDay(b[0..<10]) else { return nil }
        return day * 86_400
    }

    /// Unix seconds to `2026-09-01T00:00:00Z`.
    public static func format(_ seconds: Int64) -> String {
        let (y, m, d) = civil(days: floorDiv(seconds, 86_400))
        let inDay = seconds - floorDiv(seconds, 86_400) * 86_400
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(inDay / 3_600, 2)):\(pad(inDay % 3_600 / 60, 2)):\(pad(inDay % 60, 2))Z"
    }

    /// Unix seconds to the French way of writing the day, `31/08/2027` (UTC).
    public static func frenchDay(_ seconds: Int64) -> String {
        let (y, m, d) = civil(days: floorDiv(seconds, 86_400))
        return "\(pad(d, 2))/\(pad(m, 2))/\(pad(y, 4))"
    }

    /// Unix seconds to `2027-08-31` (UTC), for English text.
    public static func isoDay(_ seconds: Int64) -> String {
        let (y, m, d) = civil(days: floorDiv(seconds, 86_400))
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// `YYYY-MM-DD` to days since 1970-01-01, checking the day exists.
    private static func parseDay(_ b: ArraySlice<UInt8>) -> Int64? {
        let s = b.startIndex
        guard b[s + 4] == UInt8(ascii: "-"), b[s + 7] == UInt8(ascii: "-"), let y = number(b[s..<s + 4]),
            let m = number(b[s + 5..<s + 7]), let d = number(b[s + 8..<s + 10]), (1...12).contains(m),
            d >= 1, d <= daysInMonth(y, m)
        else { return nil }
        return days(y, m, d)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        return value
    }

    private static func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from a civil date (Howard Hinnant's algorithm), proleptic Gregorian.
    private static func days(_ y: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let yy = m <= 2 ? y - 1 : y
        let era = floorDiv(yy, 400)
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count (the inverse of `days`).
    private static func civil(days z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
