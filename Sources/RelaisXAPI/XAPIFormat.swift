import RelaisCore

/// The lexical forms xAPI 1.0.3 requires of identifiers (xAPI-Data 4.2 and the RFCs it cites),
/// checked by hand: no Foundation, the same answer on every platform.
public enum XAPIFormat {
    /// An absolute IRI (RFC 3987): a scheme, a colon, then no space or control character.
    public static func isIRI(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let colon = b.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon + 1 < b.count, isAlpha(b[0]) else { return false }
        for byte in b[1..<colon] where !(isAlpha(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")) {
            return false
        }
        return !b[(colon + 1)...].contains { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") }
    }

    /// A UUID in its 8-4-4-4-12 hexadecimal form (any variant, as the specification allows).
    public static func isUUID(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 36 else { return false }
        for (i, byte) in b.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else if !isHex(byte) {
                return false
            }
        }
        return true
    }

    /// 40 hexadecimal digits (an `mbox_sha1sum`).
    public static func isSHA1Hex(_ s: String) -> Bool {
        s.utf8.count == 40 && s.utf8.allSatisfy(isHex)
    }

    /// An RFC 5646 language tag, checked for shape: subtags of 1–8 letters or digits, the first
    /// one 2–8 letters (or `i`/`x` for grandfathered and private tags).
    public static func isLanguageTag(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty else { return false }
        guard first.utf8.allSatisfy(isAlpha), first.utf8.count <= 8, first.utf8.count >= 2 || first == "i" || first == "x" || first == "I" || first == "X"
        else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.utf8.count) && part.utf8.allSatisfy { isAlpha($0) || isDigit($0) }
        }
    }

    /// Seconds of an ISO 8601 duration (`P[nW][nD]T[nH][nM][n.nS]`); nil for years or months
    /// (no fixed length) and for anything that is not a duration.
    public static func durationSeconds(_ text: String) -> Double? {
        guard text.hasPrefix("P"), text.count > 1 else { return nil }
        var total = 0.0
        var number = ""
        var inTime = false
        for c in text.dropFirst() {
            if c.isNumber || c == "." {
                number.append(c)
                continue
            }
            if c == "T" {
                inTime = true
                continue
            }
            guard let value = Double(number) else { return nil }
            number = ""
            switch (c, inTime) {
            case ("W", false): total += value * 604_800
            case ("D", false): total += value * 86_400
            case ("H", true): total += value * 3600
            case ("M", true): total += value * 60
            case ("S", true): total += value
            default: return nil
            }
        }
        return number.isEmpty ? total : nil
    }

    /// An ISO 8601 duration as xAPI uses them: `PnYnMnDTnHnMnS` (fractional seconds allowed) or `PnW`.
    public static func isDuration(_ s: String) -> Bool {
        var b = Array(s.utf8)[...]
        guard b.popFirst() == UInt8(ascii: "P"), !b.isEmpty else { return false }
        var inTime = false
        var sawComponent = false
        var designators = Array("YMDW".utf8)[...]
        var timeDesignators = Array("HMS".utf8)[...]
        while let byte = b.first {
            if byte == UInt8(ascii: "T") {
                guard !inTime else { return false }
                inTime = true
                b = b.dropFirst()
                guard !b.isEmpty else { return false }
                continue
            }
            var digits = 0
            var fraction = false
            while let d = b.first, isDigit(d) || (d == UInt8(ascii: ".") && !fraction) || (d == UInt8(ascii: ",") && !fraction) {
                if !isDigit(d) { fraction = true } else { digits += 1 }
                b = b.dropFirst()
            }
            guard digits > 0, let designator = b.popFirst() else { return false }
            if inTime {
                guard let at = timeDesignators.firstIndex(of: designator), !fraction || designator == UInt8(ascii: "S") else { return false }
                timeDesignators = timeDesignators[(at + 1)...]
            } else {
                guard let at = designators.firstIndex(of: designator), !fraction else { return false }
                designators = designators[(at + 1)...]
            }
            sawComponent = true
        }
        return sawComponent
    }

    /// An ISO 8601 date-time with a time zone (`Z` or `±hh:mm`, never `-00:00`, which RFC 3339
    /// reserves for an unknown offset) to milliseconds since 1970; nil when it is not one.
    /// A missing offset is refused too: the box must know the instant a pupil did something.
    public static func timestampMilliseconds(_ s: String) -> Int64? {
        let b = Array(s.utf8)
        guard b.count >= 20, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            let midnight = UTCTime.parseDate(String(decoding: b[0..<10], as: UTF8.self)),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let hh = number(b[11..<13]), let mm = number(b[14..<16]), let ss = number(b[17..<19]),
            hh < 24, mm < 60, ss < 61
        else { return nil }
        var i = 19
        var milliseconds: Int64 = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            guard i > start else { return nil }
            for (n, digit) in b[start..<min(i, start + 3)].enumerated() {
                milliseconds += Int64(digit - UInt8(ascii: "0")) * [100, 10, 1][n]
            }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard i + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let rest = b[(i + 1)...]
            let compact = rest.count == 4 || rest.count == 2
            guard rest.count == 5 || compact, let oh = number(rest.prefix(2)), oh < 24 else { return nil }
            var om: Int64 = 0
            if rest.count == 5 {
                guard rest[rest.startIndex + 2] == UInt8(ascii: ":"), let m = number(rest.suffix(2)) else { return nil }
                om = m
            } else if rest.count == 4 {
                guard let m = number(rest.suffix(2)) else { return nil }
                om = m
            }
            guard om < 60 else { return nil }
            offset = (oh * 60 + om) * 60_000
            if b[i] == UInt8(ascii: "-") {
                guard offset != 0 else { return nil }
                offset = -offset
            }
        default:
            return nil
        }
        return (midnight + hh * 3_600 + mm * 60 + min(ss, 59)) * 1_000 + milliseconds - offset
    }

    /// Milliseconds since 1970 to `2026-09-01T08:30:00.123Z`, the form the LRS writes `stored` and
    /// `timestamp` in.
    public static func timestamp(milliseconds: Int64) -> String {
        let seconds = milliseconds >= 0 ? milliseconds / 1_000 : (milliseconds - 999) / 1_000
        let ms = milliseconds - seconds * 1_000
        let whole = UTCTime.format(seconds)
        let digits = String(ms)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    static func number(_ digits: some Collection<UInt8>) -> Int64? {
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for digit in digits {
            guard isDigit(digit) else { return nil }
            value = value * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        return value
    }

    static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "f")) }
}
