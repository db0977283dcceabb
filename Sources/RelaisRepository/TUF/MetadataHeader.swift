import RelaisCore

/// The fields every TUF role's `signed` object has: type, version, spec version and expiry.
public struct MetadataHeader: Equatable, Sendable {
    public let type: String
    public let version: Int64
    public let specVersion: String
    /// `expires` in Unix seconds (UTC).
    public let expires: Int64

    /// Reads the header of `signed`, which must be of `type`.
    public init(_ signed: JSONValue, type: String) throws(TUFError) {
        guard case .string(type)? = signed["_type"] else { throw .malformed("`_type` is not \(type)") }
        guard case .integer(let version)? = signed["version"], version >= 1 else {
            throw .malformed("\(type) `version` is not a positive integer")
        }
        guard case .string(let spec)? = signed["spec_version"], spec.hasPrefix("1.") else {
            throw .malformed("\(type) `spec_version` is missing or not 1.x")
        }
        guard case .string(let text)? = signed["expires"], let expires = TUFTime.parse(text) else {
            throw .malformed("\(type) `expires` is not a UTC time like 2030-01-01T00:00:00Z")
        }
        self.type = type
        self.version = version
        self.specVersion = spec
        self.expires = expires
    }

    /// Metadata whose expiry is at or before `now` (Unix seconds) is expired (TUF client workflow).
    public func isExpired(now: Int64) -> Bool { expires <= now }
}

/// TUF's time format, `YYYY-MM-DDTHH:MM:SSZ` (UTC, no fraction), to Unix seconds.
public enum TUFTime {
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for i in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                value = value * 10 + Int64(b[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), let hh = number(11..<13),
            let mm = number(14..<16), let ss = number(17..<19), (1...12).contains(m), (1...31).contains(d),
            hh < 24, mm < 60, ss < 61
        else { return nil }
        // Days from civil date (Howard Hinnant's algorithm), proleptic Gregorian, UTC.
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + hh * 3_600 + mm * 60 + ss
    }
}
