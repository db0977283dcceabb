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

    /// Decides the answer for `file` given the request's method and conditional fields.
    ///
    /// Order follows RFC 9110 §13.2.2: preconditions first, then Range (GET only: range handling
    /// is defined for no other method, so HEAD ignores it), with If-Range able to veto the Range.
    static func make(
        isHead: Bool,
        conditions: ContentRequest.Conditions,
        file: ContentFile,
        maximumRanges: Int = ByteRangeSet.defaultMaximumRanges
    ) -> ContentResponsePlan {
        let full = ContentResponsePlan(kind: .full, sendsBody: !isHead)
        if conditions.isEmpty { return full }
        let etag = file.hash.hex
        let preconditions = Preconditions.Headers(
            ifMatch: conditions.ifMatch,
            ifNoneMatch: conditions.ifNoneMatch,
            ifModifiedSince: conditions.ifModifiedSince,
            ifUnmodifiedSince: conditions.ifUnmodifiedSince
        )
        switch Preconditions.evaluate(preconditions, etag: etag, lastModified: file.lastModified) {
        case .notModified: return .init(kind: .notModified, sendsBody: false)
        case .failed: return .init(kind: .preconditionFailed, sendsBody: false)
        case .proceed: break
        }
        guard !isHead, let range = conditions.range else { return full }
        if let ifRange = conditions.ifRange,
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
}
