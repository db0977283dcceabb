/// The four top-level TUF roles the hub signs.
public enum HubRole: String, Sendable, CaseIterable, Hashable {
    case root, targets, snapshot, timestamp
}

/// How many keys a role has and how many must sign (`--key-count ROLE=N`, `--threshold ROLE=N`).
public struct RoleKeyPolicy: Sendable, Equatable {
    public var keyCount: Int
    public var threshold: Int

    public init(keyCount: Int = 1, threshold: Int = 1) {
        self.keyCount = keyCount
        self.threshold = threshold
    }

    /// One key, one signature: the default for every role.
    public static let single = RoleKeyPolicy()

    func validate(_ role: HubRole) throws(HubError) {
        guard (1...16).contains(keyCount) else { throw .badPolicy("\(role.rawValue) needs between 1 and 16 keys, not \(keyCount)") }
        guard (1...keyCount).contains(threshold) else {
            throw .badPolicy("the \(role.rawValue) threshold must be between 1 and its key count \(keyCount), not \(threshold); use --key-count \(role.rawValue)=N too")
        }
    }
}

/// How long each role's metadata stays valid after a publish, in days.
public struct Expiries: Sendable, Equatable {
    public var timestampDays: Int
    public var snapshotDays: Int
    public var targetsDays: Int
    public var rootDays: Int

    /// The defaults: timestamp 7 days, snapshot 30, targets 90, root a year.
    public init(timestampDays: Int = 7, snapshotDays: Int = 30, targetsDays: Int = 90, rootDays: Int = 365) {
        self.timestampDays = timestampDays
        self.snapshotDays = snapshotDays
        self.targetsDays = targetsDays
        self.rootDays = rootDays
    }

    /// Seconds from a publish to the expiry of `role`.
    func seconds(_ role: HubRole) -> Int64 {
        let days: Int
        switch role {
        case .root: days = rootDays
        case .targets: days = targetsDays
        case .snapshot: days = snapshotDays
        case .timestamp: days = timestampDays
        }
        return Int64(days) * 86_400
    }

    func validate() throws(HubError) {
        for role in HubRole.allCases where !(1...3_650).contains(seconds(role) / 86_400) {
            throw .badPolicy("the \(role.rawValue) expiry must be between 1 and 3650 days, not \(seconds(role) / 86_400)")
        }
    }
}
