import RelaisCore
import RelaisStore

/// Where and how the box pushes its statements: the `upstream.*` settings, read at each push so a
/// `relais config set` takes effect without restarting `relais serve`.
public struct UpstreamConfiguration: Sendable, Equatable {
    /// The upstream LRS's xAPI endpoint, without a trailing slash; statements go to `endpoint/statements`.
    public var endpoint: String
    public var username: String
    public var password: String
    /// Statements per POST.
    public var batchSize: Int
    /// When `relais serve` may push; nil: always. `relais sync --once` ignores it.
    public var window: DailyWindow?
    /// Bandwidth cap in bytes per second; 0: none.
    public var maxBytesPerSecond: Int

    public init(
        endpoint: String, username: String = "", password: String = "", batchSize: Int = 100,
        window: DailyWindow? = nil, maxBytesPerSecond: Int = 0
    ) {
        var endpoint = endpoint
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.batchSize = max(1, batchSize)
        self.window = window
        self.maxBytesPerSecond = max(0, maxBytesPerSecond)
    }

    /// The box's settings; nil when `upstream.lrs.url` is empty (the push is switched off).
    public init?(box: Box) throws {
        let values = try box.settings()
        func value(_ key: String) -> String { values[key] ?? Setting.named(key)?.defaultValue ?? "" }
        guard !value("upstream.lrs.url").isEmpty else { return nil }
        self.init(
            endpoint: value("upstream.lrs.url"), username: value("upstream.lrs.username"), password: value("upstream.lrs.password"),
            batchSize: Int(value("upstream.batchSize")) ?? 100, window: DailyWindow(value("upstream.window")),
            maxBytesPerSecond: Int(value("upstream.maxBytesPerSecond")) ?? 0)
    }

    /// Where batches are POSTed.
    public var statementsURL: String { endpoint + "/statements" }
}
