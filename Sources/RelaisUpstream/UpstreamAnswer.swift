/// What an answer of the upstream LRS to one POST of statements means for those statements.
public enum UpstreamAnswer: Sendable, Equatable {
    /// 2xx (Ralph: 200 new, 204 all already stored identically): every statement sent is acknowledged.
    case accepted
    /// 400, 409, 422: at least one statement is refused; the others may be fine (bisect).
    case refused(status: Int, detail: String)
    /// 401, 403: stop, nothing will pass with these credentials.
    case credentialsRefused(status: Int)
    /// 413: the batch is too large for the upstream LRS.
    case tooLarge
    /// 404, 405 and other 4xx: the address is wrong; stop rather than quarantine good statements.
    case misconfigured(status: Int, detail: String)
    /// 408, 429, 5xx, a reset, a timeout: nothing is known; retry after a pause.
    case transient(String)

    /// The meaning of an HTTP status (with the beginning of the body, for the reasons shown).
    public init(status: Int, detail: String) {
        switch status {
        case 200..<300: self = .accepted
        case 400, 409, 422: self = .refused(status: status, detail: detail)
        case 401, 403: self = .credentialsRefused(status: status)
        case 413: self = .tooLarge
        case 408, 425, 429, 500..<600: self = .transient("HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")")
        default: self = .misconfigured(status: status, detail: detail)
        }
    }
}
