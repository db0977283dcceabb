/// Keeps the push under `upstream.maxBytesPerSecond`: a school's link is shared with classes, so
/// each request waits until the bytes already sent, spread at the cap, have "drained".
///
/// Pure arithmetic on instants, so it is tested without sleeping.
public struct BandwidthPacer: Sendable {
    /// Bytes per second; 0: no cap.
    public let bytesPerSecond: Int
    private var drainedAt: ContinuousClock.Instant?

    public init(bytesPerSecond: Int) {
        self.bytesPerSecond = max(0, bytesPerSecond)
    }

    /// How long to wait, at `now`, before sending `bytes`; books them as sent.
    public mutating func delay(before bytes: Int, now: ContinuousClock.Instant) -> Duration {
        guard bytesPerSecond > 0 else { return .zero }
        let start = max(now, drainedAt ?? now)
        drainedAt = start + .seconds(Double(bytes) / Double(bytesPerSecond))
        return start - now
    }
}
