/// How long to wait before retrying a send that failed without an answer (5xx, reset, timeout):
/// exponential backoff with full jitter, so thousands of boxes cut by the same outage do not
/// come back at the same second.
public struct RetryPolicy: Sendable {
    /// Attempts of one batch before the push gives up (`relais sync --once` exits 1, keeping everything).
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(60)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// A few quick tries: a one-shot push from the command line should end in seconds.
    public static let once = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(250), maxDelay: .seconds(4))
    /// The background push keeps trying, up to five minutes apart.
    public static let background = RetryPolicy(maxAttempts: .max, baseDelay: .seconds(1), maxDelay: .seconds(300))

    /// The pause before attempt `attempt + 1`, after `attempt` failures (1, 2, …): uniformly random
    /// in [0, min(maxDelay, baseDelay × 2^(attempt-1))].
    public func delay<G: RandomNumberGenerator>(afterFailures attempt: Int, using generator: inout G) -> Duration {
        let ceiling = self.ceiling(afterFailures: attempt)
        let nanos = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanos > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanos, using: &generator))
    }

    /// The upper bound of the pause after `attempt` failures.
    public func ceiling(afterFailures attempt: Int) -> Duration {
        let doublings = min(max(attempt - 1, 0), 30)
        let grown = baseDelay * (1 << doublings)
        return grown > maxDelay ? maxDelay : grown
    }
}
