/// HTTP-date (RFC 9110 §5.6.7): formats IMF-fixdate, parses the three forms a recipient must accept.
///
/// Written by hand rather than with a date formatter because the origin formats the `Date` header
/// once a second and parses conditional headers on the hot path; both must be allocation-light
/// and independent of the process locale and time zone.
public enum HTTPDate {
    static let dayNames: [String] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let monthNames: [String] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let longDayNames: Set<String> = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT` for the given unix time.
    public static func format(_ seconds: Int64) -> String {
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        let weekday = Int(floorMod(days + 4, 7))  // 1970-01-01 was a Thursday
        return "\(dayNames[weekday]), \(pad2(day)) \(monthNames[month - 1]) \(year) "
            + "\(pad2(Int(secondOfDay / 3600))):\(pad2(Int(secondOfDay / 60 % 60))):\(pad2(Int(secondOfDay % 60))) GMT"
    }

    /// The unix time of an IMF-fixdate, RFC 850 or asctime date; nil when the text is none of them.
    static func parse(_ text: some StringProtocol) -> Int64? {
        let bytes = Array(text.utf8.trimmingSpaces)
        if let comma = bytes.firstIndex(of: UInt8(ascii: ",")) {
            let weekday = String(decoding: bytes[..<comma], as: UTF8.self)
            let rest = Array(bytes[(comma + 1)...])
            if comma == 3, dayNames.contains(weekday) { return parseIMF(rest) }
            if longDayNames.contains(weekday) { return parseRFC850(rest) }
            return nil
        }
        return parseAsctime(bytes)
    }

    /// ` 06 Nov 1994 08:49:37 GMT`
    private static func parseIMF(_ b: [UInt8]) -> Int64? {
        guard b.count == 25, b[0] == 0x20, b[3] == 0x20, b[7] == 0x20, b[12] == 0x20, b[21] == 0x20,
            b[22...] == [0x47, 0x4D, 0x54][...],
            let day = number(b[1..<3]), let month = month(b[4..<7]), let year = number(b[8..<12])
        else { return nil }
        return timestamp(year: year, month: month, day: day, clock: b[13..<21])
    }

    /// ` 06-Nov-94 08:49:37 GMT`; a two-digit year below 70 is taken as 20xx (RFC 9110's
    /// "50 years in the future" rule, fixed to the unix epoch since nothing here predates it).
    private static func parseRFC850(_ b: [UInt8]) -> Int64? {
        guard b.count == 23, b[0] == 0x20, b[3] == 0x2D, b[7] == 0x2D, b[10] == 0x20, b[19] == 0x20,
            b[20...] == [0x47, 0x4D, 0x54][...],
            let day = number(b[1..<3]), let month = month(b[4..<7]), let yy = number(b[8..<10])
        else { return nil }
        return timestamp(year: yy < 70 ? 2000 + yy : 1900 + yy, month: month, day: day, clock: b[11..<19])
    }

    /// `Sun Nov  6 08:49:37 1994`
    private static func parseAsctime(_ b: [UInt8]) -> Int64? {
        guard b.count == 24, b[3] == 0x20, b[7] == 0x20, b[10] == 0x20, b[19] == 0x20,
            dayNames.contains(String(decoding: b[0..<3], as: UTF8.self)),
            let month = month(b[4..<7]), let year = number(b[20..<24])
        else { return nil }
        let dayText = b[8] == 0x20 ? b[9..<10] : b[8..<10]
        guard let day = number(dayText) else { return nil }
        return timestamp(year: year, month: month, day: day, clock: b[11..<19])
    }

    /// Seconds since the epoch of a validated calendar date and an `HH:MM:SS` clock.
    private static func timestamp(year: Int, month: Int, day: Int, clock c: ArraySlice<UInt8>) -> Int64? {
        let base = c.startIndex
        guard c[base + 2] == 0x3A, c[base + 5] == 0x3A,
            let hour = number(c[base..<base + 2]), let minute = number(c[base + 3..<base + 5]),
            let second = number(c[base + 6..<base + 8]),
            hour < 24, minute < 60, second <= 60, day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return digits.isEmpty ? nil : value
    }

    private static func month(_ name: ArraySlice<UInt8>) -> Int? {
        monthNames.firstIndex(of: String(decoding: name, as: UTF8.self)).map { $0 + 1 }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days-from-civil, valid for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysFromCivil`.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
    private static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension Collection where Element == UInt8 {
    /// The bytes without leading and trailing spaces and tabs (HTTP's OWS).
    var trimmingSpaces: SubSequence {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        var last = first
        var index = first
        while index != endIndex {
            if !isSpace(self[index]) { last = index }
            index = self.index(after: index)
        }
        return self[first...last]
    }
}
