/// What the content origin keeps of one request head: only the fields it acts on.
///
/// The origin parses heads itself (see `RequestHeadParser`) and keeps no generic header list: a
/// browser sends a dozen headers the origin never reads, and turning each into two Strings was a
/// large share of the cost of a small answer.
package struct ContentRequest: Equatable, Sendable {
    /// The request methods the origin tells apart.
    enum Method: Equatable, Sendable {
        case get
        case head
        /// Anything else, answered with 405.
        case other
    }

    /// The method.
    var method: Method
    /// The request-target, as sent.
    package var target: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    var minorVersion: Int
    /// Whether the connection may stay open after the answer (version default and Connection).
    var keepAlive: Bool
    /// Whether a Host field was present (HTTP/1.1 requires it).
    var hasHost: Bool
    /// The Host field's value when present (the shared port builds its redirects from it).
    var host: String? = nil
    /// Length of the body that follows the head (never read, only skipped).
    var contentLength: Int64
    /// Whether the client announced `Expect: 100-continue`.
    var expectsContinue: Bool
    /// The fields that make a request conditional or partial.
    var conditions: Conditions

    /// The conditional and range fields (RFC 9110 §13, §14).
    ///
    /// List fields (If-Match, If-None-Match) sent on several lines are joined with commas as
    /// RFC 9110 §5.3 allows; singleton fields sent more than once are dropped (nil) rather than
    /// guessed at, which makes the request unconditional or the Range ignored.
    struct Conditions: Equatable, Sendable {
        var ifMatch: String?
        var ifNoneMatch: String?
        var ifModifiedSince: String?
        var ifUnmodifiedSince: String?
        var range: String?
        var ifRange: String?

        /// Singleton fields seen more than once, one bit each (a Set would cost an allocation).
        private var repeated: UInt8 = 0

        /// No conditional field at all.
        init(
            ifMatch: String? = nil, ifNoneMatch: String? = nil, ifModifiedSince: String? = nil,
            ifUnmodifiedSince: String? = nil, range: String? = nil, ifRange: String? = nil
        ) {
            self.ifMatch = ifMatch
            self.ifNoneMatch = ifNoneMatch
            self.ifModifiedSince = ifModifiedSince
            self.ifUnmodifiedSince = ifUnmodifiedSince
            self.range = range
            self.ifRange = ifRange
        }

        /// The conditions carried by a list of fields (names in any case).
        init(fields: [(String, String)]) {
            self.init()
            for (name, value) in fields { record(lowercasedName: name.lowercased(), value: value) }
        }

        /// Whether none of the fields is present: the common case, answered without evaluation.
        var isEmpty: Bool {
            ifMatch == nil && ifNoneMatch == nil && ifModifiedSince == nil && ifUnmodifiedSince == nil
                && range == nil && ifRange == nil
        }

        /// Takes one field into account; names this type does not know are ignored.
        /// - Returns: whether the name was one of the conditional fields.
        @discardableResult
        mutating func record(lowercasedName name: String, value: String) -> Bool {
            switch name {
            case "if-match": ifMatch = ifMatch.map { $0 + ", " + value } ?? value
            case "if-none-match": ifNoneMatch = ifNoneMatch.map { $0 + ", " + value } ?? value
            case "if-modified-since": recordSingleton(1, value, \.ifModifiedSince)
            case "if-unmodified-since": recordSingleton(2, value, \.ifUnmodifiedSince)
            case "range": recordSingleton(4, value, \.range)
            case "if-range": recordSingleton(8, value, \.ifRange)
            default: return false
            }
            return true
        }

        private mutating func recordSingleton(_ bit: UInt8, _ value: String, _ field: WritableKeyPath<Conditions, String?>) {
            if repeated & bit != 0 { return }
            if self[keyPath: field] != nil {
                repeated |= bit
                self[keyPath: field] = nil
            } else {
                self[keyPath: field] = value
            }
        }
    }
}
