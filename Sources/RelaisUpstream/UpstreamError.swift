/// Why a push stopped before the outbox was empty, said so the admin knows what to do.
/// Nothing is lost in any case: unacknowledged statements stay in the outbox for the next push.
public enum UpstreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `upstream.lrs.url` is empty.
    case notConfigured
    /// 401/403: the upstream LRS refuses the box's credentials.
    case credentialsRefused(status: Int, url: String)
    /// An answer that says the address is wrong (404, 405…): retrying would not help.
    case misconfigured(status: Int, url: String, detail: String)
    /// 5xx, resets, timeouts, still failing after the retries allowed.
    case unreachable(url: String, reason: String, attempts: Int)
    /// Another push (from `relais serve` or another `relais sync`) holds the upstream lock.
    case busy(String)
    /// The local store failed.
    case store(String)
    /// The push was stopped from outside (shutdown of `relais serve`) before it finished.
    case stopped

    public var description: String {
        switch self {
        case .notConfigured:
            return "no upstream LRS configured; set it with `relais config --data DIR set upstream.lrs.url https://lrs.example/xapi`"
        case .credentialsRefused(let status, let url):
            return "the upstream LRS (\(url)) refused the box's credentials (HTTP \(status)); check upstream.lrs.username and upstream.lrs.password with the hub"
        case .misconfigured(let status, let url, let detail):
            return "the upstream LRS answered HTTP \(status) at \(url)\(detail.isEmpty ? "" : " (\(detail))"); check upstream.lrs.url (the xAPI endpoint, without /statements)"
        case .unreachable(let url, let reason, let attempts):
            return "the upstream LRS (\(url)) is unreachable after \(attempts) attempts: \(reason); the statements stay queued and go with the next push"
        case .busy(let dir):
            return "another push to the upstream LRS is running for \(dir) (relais serve or relais sync); wait for it to finish and retry"
        case .store(let why):
            return why
        case .stopped:
            return "the push was stopped before the outbox was empty; the rest goes with the next push"
        }
    }
}
