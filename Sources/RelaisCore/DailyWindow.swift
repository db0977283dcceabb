import Foundation

/// A daily time window in local time, `HH:MM-HH:MM` (setting `upstream.window`), e.g. `17:30-07:30`
/// for "after school until the morning": a school's link is shared with classes during the day,
/// so the push can be kept to the evening and night. A start later than the end wraps past
/// midnight; equal ends mean the whole day.
public struct DailyWindow: Hashable, Sendable, CustomStringConvertible {
    /// Minutes after local midnight, 0..<1440.
    public let start: Int
    public let end: Int

    /// Parses `HH:MM-HH:MM`; nil when malformed.
    public init?(_ text: String) {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let start = DailyWindow.minutes(ends[0]), let end = DailyWindow.minutes(ends[1]) else { return nil }
        self.init(start: start, end: end)
    }

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public var description: String { "\(DailyWindow.clock(start))-\(DailyWindow.clock(end))" }

    /// Whether `date` falls inside the window, read on the clock of `timeZone`.
    public func contains(_ date: Date, timeZone: TimeZone = .current) -> Bool {
        contains(minuteOfDay: DailyWindow.minuteOfDay(date, timeZone: timeZone))
    }

    /// Whether a minute of the day (0..<1440) falls inside the window.
    public func contains(minuteOfDay minute: Int) -> Bool {
        if start == end { return true }
        return start < end ? (start..<end).contains(minute) : (minute >= start || minute < end)
    }

    /// Seconds from `date` until the window next opens (0 when it is open).
    public func secondsUntilOpen(from date: Date, timeZone: TimeZone = .current) -> Int {
        let minute = DailyWindow.minuteOfDay(date, timeZone: timeZone)
        if contains(minuteOfDay: minute) { return 0 }
        let second = Int(date.timeIntervalSince1970.rounded(.down)) % 60
        let minutes = (start - minute + 1440) % 1440
        return max(1, minutes * 60 - second)
    }

    private static func minuteOfDay(_ date: Date, timeZone: TimeZone) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    private static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}
