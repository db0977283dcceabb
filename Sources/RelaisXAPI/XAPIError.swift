/// Why the LRS refused a request, with the HTTP status the xAPI specification gives it.
///
/// Messages name the offending field by its path (`statement.verb.id is not an IRI`) so that a
/// content author can fix the statement without reading the LRS's code.
public enum XAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400: malformed request or statement.
    case badRequest(String)
    /// 401: missing or wrong credentials.
    case unauthorized(String)
    /// 403: authenticated, but the credential's scope does not allow this.
    case forbidden(String)
    /// 404: no such statement or document.
    case notFound(String)
    /// 409: a statement id already used for different content, or a document overwrite without a precondition.
    case conflict(String)
    /// 412: If-Match / If-None-Match not met.
    case preconditionFailed(String)
    /// 413: a request body larger than the LRS accepts.
    case tooLarge(String)

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .conflict: 409
        case .preconditionFailed: 412
        case .tooLarge: 413
        }
    }

    public var message: String {
        switch self {
        case .badRequest(let m), .unauthorized(let m), .forbidden(let m), .notFound(let m), .conflict(let m),
            .preconditionFailed(let m), .tooLarge(let m):
            m
        }
    }

    public var description: String { message }
}
