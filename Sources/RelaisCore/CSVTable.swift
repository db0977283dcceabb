/// A CSV file as schools have them: bytes in, rows of text out, each row with its 1-based
/// physical line number (the line a spreadsheet user sees when opening the file in a text editor).
///
/// Hand-written: no CSV library on this machine handles both the encodings (UTF-8 with or without
/// BOM, Windows-1252 as French Excel exports "CSV (séparateur : point-virgule)", UTF-16 with a
/// BOM as Excel's "Texte Unicode") and the dialects (`;`, `,` or tab, detected from the header).
///
/// - Encoding: a UTF-8 BOM is dropped; bytes that are not valid UTF-8 are read as Windows-1252
///   (é = 0xE9, œ = 0x9C, € = 0x80…); FF FE / FE FF start UTF-16 LE / BE.
/// - Lines end with CRLF, LF or CR. Blank lines, and lines with only separators (`;;;`, which
///   Excel writes for an emptied row), are skipped.
/// - The separator is the one of `;`, tab, `,` that occurs most often outside quotes in the first
///   non-blank line (ties in that order); `,` when the header has a single column. A first line
///   `sep=;` (Excel's way of naming it) decides instead and is not a row.
/// - RFC 4180 quoting: a field starting with `"` may hold separators, doubled quotes (`""` for
///   `"`) and line breaks (kept as `\n`). A quote inside an unquoted field is kept as text.
public struct CSVTable: Sendable, Equatable {
    public enum Separator: String, Sendable, Equatable, CaseIterable {
        case semicolon = ";"
        case comma = ","
        case tab = "\t"

        var scalar: Unicode.Scalar { rawValue.unicodeScalars.first! }
    }

    public enum Encoding: String, Sendable, Equatable {
        case utf8, utf8WithBOM, windows1252, utf16
    }

    public struct Row: Sendable, Equatable {
        /// 1-based physical line where the row starts.
        public let line: Int
        public let fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    public let encoding: Encoding
    public let separator: Separator
    /// Every non-blank row, the header first.
    public let rows: [Row]

    /// Parses a whole file. Throws naming the line (and column) of the first malformed quote.
    public init<Bytes: Collection<UInt8>>(bytes: Bytes) throws(CSVError) {
        let (text, encoding) = Self.decode(Array(bytes))
        self.encoding = encoding
        let scalars = Array(text.unicodeScalars)
        if let (declared, rest) = Self.separatorLine(scalars) {
            // Excel's `sep=;` first line names the separator; the line numbers still count it.
            separator = declared
            rows = try Self.parse(Array(scalars[rest...]), separator: declared.scalar).map { Row(line: $0.line + 1, fields: $0.fields) }
        } else {
            separator = Self.detectSeparator(scalars)
            rows = try Self.parse(scalars, separator: separator.scalar)
        }
    }

    /// The header row, nil for a file with no non-blank line.
    public var header: Row? { rows.first }
    /// The rows after the header.
    public var records: ArraySlice<Row> { rows.dropFirst() }

    // MARK: decoding

    /// The text of the bytes and the encoding they were read in.
    public static func decode(_ bytes: [UInt8]) -> (String, Encoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]), let text = String(validating: bytes.dropFirst(3), as: UTF8.self) {
            return (text, .utf8WithBOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var i = 2
            while i + 1 < bytes.count {
                units.append(little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
                i += 2
            }
            return (String(decoding: units, as: UTF16.self), .utf16)
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(windows1252(byte)) }
        return (String(scalars), .windows1252)
    }

    /// Windows-1252: Latin-1 except 0x80–0x9F; the five bytes it leaves undefined map to the C1
    /// control characters of the same value (as WHATWG does), which name checks then refuse.
    static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        guard (0x80...0x9F).contains(byte) else { return Unicode.Scalar(byte) }
        let table: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
        ]
        return Unicode.Scalar(table[Int(byte) - 0x80]) ?? "\u{FFFD}"
    }

    // MARK: dialect

    /// `sep=;` (or `,`, tab) alone on the first line, as Excel writes and reads it: the
    /// separator and where the next line starts.
    static func separatorLine(_ s: [Unicode.Scalar]) -> (Separator, Int)? {
        guard s.count >= 5, s[0] == "s" || s[0] == "S", s[1] == "e" || s[1] == "E", s[2] == "p" || s[2] == "P", s[3] == "=",
            let separator = Separator.allCases.first(where: { $0.scalar == s[4] })
        else { return nil }
        if s.count == 5 { return (separator, 5) }
        if s[5] == "\r" { return (separator, s.count > 6 && s[6] == "\n" ? 7 : 6) }
        if s[5] == "\n" { return (separator, 6) }
        return nil
    }

    static func detectSeparator(_ scalars: [Unicode.Scalar]) -> Separator {
        var counts: [Separator: Int] = [:]
        var inQuotes = false
        var sawContent = false
        for scalar in scalars {
            if scalar == "\"" { inQuotes.toggle() }
            if !inQuotes, scalar == "\n" || scalar == "\r" {
                if sawContent { break }
                continue
            }
            if !inQuotes, let separator = Separator.allCases.first(where: { $0.scalar == scalar }) {
                counts[separator, default: 0] += 1
            }
            if !scalar.properties.isWhitespace { sawContent = true }
        }
        var best = Separator.comma
        var bestCount = 0
        for separator in [Separator.semicolon, .tab, .comma] where counts[separator, default: 0] > bestCount {
            best = separator
            bestCount = counts[separator, default: 0]
        }
        return best
    }

    // MARK: parsing

    static func parse(_ s: [Unicode.Scalar], separator: Unicode.Scalar) throws(CSVError) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quotedRow = false  // some field of the row was quoted: the row is not blank
        var line = 1
        var rowLine = 1
        var i = 0
        var atFieldStart = true

        func endRow() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            if quotedRow || fields.contains(where: { !$0.allSatisfy(\.isWhitespace) }) {
                rows.append(Row(line: rowLine, fields: fields))
            }
            fields = []
            quotedRow = false
            atFieldStart = true
        }

        while i < s.count {
            let c = s[i]
            if atFieldStart && c == "\"" {
                // A quoted field, to its closing quote.
                quotedRow = true
                let startLine = line
                let column = fields.count + 1
                i += 1
                var closed = false
                while i < s.count {
                    let q = s[i]
                    if q == "\"" {
                        if i + 1 < s.count, s[i + 1] == "\"" {
                            field.append("\"")
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    if q == "\r" || q == "\n" {
                        field.append("\n")
                        line += 1
                        i += (q == "\r" && i + 1 < s.count && s[i + 1] == "\n") ? 2 : 1
                        continue
                    }
                    field.append(q)
                    i += 1
                }
                guard closed else { throw CSVError(line: startLine, column: column, problem: .unclosedQuote) }
                // Only a separator, a line end or the end of the file may follow.
                if i < s.count, s[i] != separator, s[i] != "\r", s[i] != "\n" {
                    throw CSVError(line: line, column: column, problem: .textAfterClosingQuote)
                }
                atFieldStart = false
                continue
            }
            atFieldStart = false
            if c == separator {
                fields.append(String(field))
                field = String.UnicodeScalarView()
                atFieldStart = true
                i += 1
            } else if c == "\r" || c == "\n" {
                endRow()
                line += 1
                i += (c == "\r" && i + 1 < s.count && s[i + 1] == "\n") ? 2 : 1
                rowLine = line
            } else {
                field.append(c)
                i += 1
            }
        }
        if !field.isEmpty || !fields.isEmpty || quotedRow { endRow() }
        return rows
    }
}

/// A file that is not readable CSV, naming where.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case unclosedQuote, textAfterClosingQuote
    }

    public let line: Int
    /// 1-based column number (field position), when it applies.
    public let column: Int?
    public let problem: Problem

    public init(line: Int, column: Int?, problem: Problem) {
        self.line = line
        self.column = column
        self.problem = problem
    }

    public var french: String {
        let at = "ligne \(line)" + (column.map { ", colonne \($0)" } ?? "")
        switch problem {
        case .unclosedQuote: return "\(at) : un guillemet (\") ouvre un champ qui n'est jamais refermé ; ajoutez le guillemet fermant ou retirez le guillemet ouvrant"
        case .textAfterClosingQuote: return "\(at) : du texte suit le guillemet fermant d'un champ ; un guillemet dans un champ entre guillemets s'écrit \"\""
        }
    }

    public var english: String {
        let at = "line \(line)" + (column.map { ", column \($0)" } ?? "")
        switch problem {
        case .unclosedQuote: return "\(at): a quote (\") opens a field that is never closed; add the closing quote or remove the opening one"
        case .textAfterClosingQuote: return "\(at): text follows a field's closing quote; a quote inside a quoted field is written \"\""
        }
    }

    public var description: String { "\(french) / \(english)" }
}

extension CSVTable {
    /// One CSV line (RFC 4180 quoting, no line break at the end) for a spreadsheet: a field
    /// holding the separator, a quote or a line break is quoted; a field that a spreadsheet would
    /// run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading `'`, so a
    /// name typed as `=HYPERLINK(…)` stays text.
    public static func line(_ fields: [String], separator: Character = ";") -> String {
        fields.map { field in
            var text = field
            if let first = text.first, "=+-@\t\r".contains(first), Double(text) == nil { text = "'" + text }
            guard text.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: String(separator))
    }
}
