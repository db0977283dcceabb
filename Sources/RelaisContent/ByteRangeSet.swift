/// One satisfiable byte range of a representation, both ends inclusive (as Content-Range writes them).
struct ByteRange: Equatable, Sendable {
    /// Offset of the first byte.
    let first: Int64
    /// Offset of the last byte (never past the representation's end).
    let last: Int64
    /// How many bytes the range covers.
    var length: Int64 { last - first + 1 }
}

/// One `range-spec` of a `Range: bytes=…` header, before it meets a representation length.
enum ByteRangeSpec: Equatable, Sendable {
    /// `a-b`
    case closed(first: Int64, last: Int64)
    /// `a-`
    case from(first: Int64)
    /// `-n`: the last n bytes.
    case suffix(length: Int64)
}

/// What a Range header asks of a representation, once policy has been applied.
enum RangeRequest: Equatable, Sendable {
    /// Serve the whole representation with 200: the header is malformed, names another unit, or
    /// asks for more pieces than the policy allows.
    case ignored
    /// 416 with `Content-Range: bytes */length`: every range starts past the end.
    case unsatisfiable
    /// 206 with these ranges, in the order the client asked for them.
    case ranges([ByteRange])
}

/// The RFC 9110 §14.1.2 `bytes` range-set parser and resolver; pure, so it is tested exhaustively.
enum ByteRangeSet {
    /// The most ranges one request may ask for before the origin answers 200 instead.
    static let defaultMaximumRanges = 16

    /// Parses the header value; nil when it is malformed or not in bytes (the caller then ignores it).
    static func parse(_ header: some StringProtocol) -> [ByteRangeSpec]? {
        let value = header.utf8.trimmingSpaces
        guard let equals = value.firstIndex(of: UInt8(ascii: "=")) else { return nil }
        let unit = value[..<equals]
        guard unit.count == 5, zip(unit, "bytes".utf8).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        var specs: [ByteRangeSpec] = []
        // `1#range-spec`: OWS around commas, and empty list elements are allowed and skipped.
        for element in value[value.index(after: equals)...].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let spec = element.trimmingSpaces
            if spec.isEmpty { continue }
            guard let parsed = parseSpec(spec) else { return nil }
            specs.append(parsed)
        }
        return specs.isEmpty ? nil : specs
    }

    /// `a-b`, `a-` or `-n`; nil when malformed or when b < a (which invalidates the whole header).
    private static func parseSpec(_ spec: some Collection<UInt8>) -> ByteRangeSpec? {
        guard let dash = spec.firstIndex(of: UInt8(ascii: "-")) else { return nil }
        let before = spec[..<dash]
        let after = spec[spec.index(after: dash)...]
        if before.isEmpty {
            guard let length = digits(after) else { return nil }
            return .suffix(length: length)
        }
        guard let first = digits(before) else { return nil }
        if after.isEmpty { return .from(first: first) }
        guard let last = digits(after), last >= first else { return nil }
        return .closed(first: first, last: last)
    }

    /// `1*DIGIT`, saturating at Int64.max: a position that large is past any real file anyway.
    private static func digits(_ text: some Collection<UInt8>) -> Int64? {
        guard !text.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in text {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(byte - 0x30))
            value = o1 || o2 ? .max : sum
        }
        return value
    }

    /// The satisfiable ranges for a representation of `length` bytes, unsatisfiable ones dropped.
    static func resolve(_ specs: [ByteRangeSpec], length: Int64) -> [ByteRange] {
        specs.compactMap { spec in
            switch spec {
            case .closed(let first, let last):
                return first < length ? ByteRange(first: first, last: min(last, length - 1)) : nil
            case .from(let first):
                return first < length ? ByteRange(first: first, last: length - 1) : nil
            case .suffix(let suffix):
                // `-0` selects nothing, and nothing can be selected from an empty representation.
                guard suffix > 0, length > 0 else { return nil }
                return ByteRange(first: max(0, length - suffix), last: length - 1)
            }
        }
    }

    /// Parses, applies the abuse policy and resolves a Range header for a representation.
    ///
    /// More than `maximumRanges` pieces, or pieces that overlap, are answered with the whole
    /// representation (RFC 9110 §14.2 lets a server ignore such a header): a request of a few
    /// hundred bytes could otherwise make the origin send many times the file, one part per range,
    /// whereas a full 200 never costs more than the file itself.
    static func evaluate(_ header: some StringProtocol, length: Int64, maximumRanges: Int = defaultMaximumRanges) -> RangeRequest {
        guard let specs = parse(header), specs.count <= maximumRanges else { return .ignored }
        let ranges = resolve(specs, length: length)
        if ranges.isEmpty { return .unsatisfiable }
        if ranges.count > 1 {
            let ordered = ranges.sorted { $0.first < $1.first }
            for index in ordered.indices.dropFirst() where ordered[index].first <= ordered[index - 1].last {
                return .ignored
            }
        }
        return .ranges(ranges)
    }
}
