/// `serve.bundlePorts`: where each bundle's own origin listens.
public enum BundlePorts: Sendable, Equatable {
    /// Ports assigned once from this range and kept in the database (a school box).
    case range(ClosedRange<Int>)
    /// Any free port, chosen by the system at each start and not kept (tests running side by side).
    case ephemeral

    /// Parses `START-END` (1024 ≤ START ≤ END ≤ 65535) or `0`.
    public init?(_ text: String) {
        if text == "0" {
            self = .ephemeral
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int(parts[0]), let end = Int(parts[1]), 1024 <= start, start <= end, end <= 65535 else {
            return nil
        }
        self = .range(start...end)
    }
}
