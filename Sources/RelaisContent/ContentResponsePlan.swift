import NIOHTTP1

/// What to answer for a GET or HEAD of a known file: decided from the request headers alone.
///
/// Pure, so conditional and range semantics are tested without a socket; the connection handler
/// only carries the plan out.
struct ContentResponsePlan: Equatable, Sendable {
    /// Which kind of answer, with the ranges it needs.
    enum Kind: Equatable, Sendable {
        /// 200 with the whole representation.
        case full
        /// 206 with one range and a Content-Range header.
        case partial(ByteRange)
        /// 206 `multipart/byteranges`, one part per range in the client's order.
        case multipart([ByteRange])
        /// 304: validators only, no body.
        case notModified
        /// 412: a precondition is false.
        case preconditionFailed
        /// 416 with `Content-Range: bytes */size`.
        case rangeNotSatisfiable
    }

    /// The kind of answer.
    var kind: Kind
    /// False for HEAD: the same headers as GET, no body.
    var sendsBody: Bool

    /// The status code of the answer.
    var status: HTTPResponseStatus {
        switch kind {
        case .full: return .ok
        case .partial, .multipart: return .partialContent
        case .notModified: return .notModified
        case .preconditionFailed: return .preconditionFailed
        case .rangeNotSatisfiable: return .rangeNotSatisfiable
        }
    }

    /// Decides the answer for `file` given the request's method and headers.
    ///
    /// Order follows RFC 9110 §13.2.2: preconditions first, then Range (GET only: range handling
    /// is defined for no other method, so HEAD ignores it), with If-Range able to veto the Range.
    static func make(
        isHead: Bool,
        headers: HTTPHeaders,
        file: ContentFile,
        maximumRanges: Int = ByteRangeSet.defaultMaximumRanges
    ) -> ContentResponsePlan {
        let etag = file.hash.hex
        let conditions = Preconditions.Headers(
            ifMatch: joined(headers, "if-match"),
            ifNoneMatch: joined(headers, "if-none-match"),
            ifModifiedSince: single(headers, "if-modified-since"),
            ifUnmodifiedSince: single(headers, "if-unmodified-since")
        )
        switch Preconditions.evaluate(conditions, etag: etag, lastModified: file.lastModified) {
        case .notModified: return .init(kind: .notModified, sendsBody: false)
        case .failed: return .init(kind: .preconditionFailed, sendsBody: false)
        case .proceed: break
        }
        let full = ContentResponsePlan(kind: .full, sendsBody: !isHead)
        guard !isHead, let range = single(headers, "range") else { return full }
        if let ifRange = single(headers, "if-range"),
            !Preconditions.ifRangeAllowsRange(ifRange, etag: etag, lastModified: file.lastModified)
        {
            return full
        }
        switch ByteRangeSet.evaluate(range, length: file.size, maximumRanges: maximumRanges) {
        case .ignored: return full
        case .unsatisfiable: return .init(kind: .rangeNotSatisfiable, sendsBody: false)
        case .ranges(let ranges) where ranges.count == 1: return .init(kind: .partial(ranges[0]), sendsBody: true)
        case .ranges(let ranges): return .init(kind: .multipart(ranges), sendsBody: true)
        }
    }

    /// A list-valued field, its lines joined as RFC 9110 §5.3 allows.
    private static func joined(_ headers: HTTPHeaders, _ name: String) -> String? {
        let values = headers[name]
        switch values.count {
        case 0: return nil
        case 1: return values[0]
        default: return values.joined(separator: ",")
        }
    }

    /// A singleton field; nil when absent or sent more than once (then it is ignored, not guessed at).
    private static func single(_ headers: HTTPHeaders, _ name: String) -> String? {
        let values = headers[name]
        return values.count == 1 ? values[0] : nil
    }
}
