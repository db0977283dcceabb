/// A setting of the box, read and written with `relais config --data DIR get|set KEY [VALUE]`.
///
/// Every key lives in `Setting.all` with its meaning and default, and README lists them.
public struct Setting: Sendable {
    /// The dotted key, e.g. "import.maxRatio".
    public let key: String
    /// What it changes, one line (English, for the CLI help and README).
    public let summary: String
    /// The value when none is set.
    public let defaultValue: String
    let kind: Kind

    enum Kind: Sendable { case positiveInteger, port, host, repositoryLocation, nonNegativeInteger, httpURL, text, dailyWindow, portRange }

    /// Checks a value; nil when valid, else why not.
    public func problem(with value: String) -> String? {
        switch kind {
        case .positiveInteger:
            guard let n = Int64(value), n > 0 else { return "expected a whole number above 0, got « \(value) »" }
            return nil
        case .port:
            guard let n = Int(value), (1...65535).contains(n) else { return "expected a TCP port (1–65535), got « \(value) »" }
            return nil
        case .host:
            return value.isEmpty || value.contains(" ") ? "expected a host name or address, got « \(value) »" : nil
        case .repositoryLocation:
            if value.isEmpty || value.hasPrefix("http://") || value.hasPrefix("https://") || value.hasPrefix("/") { return nil }
            return "expected an http:// or https:// address, or an absolute folder path, got « \(value) »"
        case .nonNegativeInteger:
            guard let n = Int64(value), n >= 0 else { return "expected a whole number, 0 or more, got « \(value) »" }
            return nil
        case .httpURL:
            if value.isEmpty || value.hasPrefix("http://") || value.hasPrefix("https://") { return nil }
            return "expected an http:// or https:// address (or nothing, to switch it off), got « \(value) »"
        case .text:
            return value.contains(where: \.isNewline) ? "expected one line, got a line break" : nil
        case .portRange:
            return BundlePorts(value) == nil
                ? "expected a port range START-END (e.g. 20000-20999, at least as many ports as bundles), or 0 for ports the system picks at each start (tests only), got « \(value) »"
                : nil
        case .dailyWindow:
            if value.isEmpty || DailyWindow(value) != nil { return nil }
            return "expected a daily window HH:MM-HH:MM in local time (e.g. 17:30-07:30), or nothing for always, got « \(value) »"
        }
    }

    /// The setting named `key`, if any.
    public static func named(_ key: String) -> Setting? { all.first { $0.key == key } }

    /// Every setting the box knows.
    public static let all: [Setting] = [
        Setting(key: "import.maxTotalBytes", summary: "largest total uncompressed size of one archive, in bytes",
                defaultValue: String(ArchiveLimits.standard.maxTotalBytes), kind: .positiveInteger),
        Setting(key: "import.maxEntries", summary: "most entries (files and folders) in one archive",
                defaultValue: String(ArchiveLimits.standard.maxEntries), kind: .positiveInteger),
        Setting(key: "import.maxRatio", summary: "highest compression ratio (uncompressed:compressed) of one archive",
                defaultValue: String(ArchiveLimits.standard.maxRatio), kind: .positiveInteger),
        Setting(key: "serve.host", summary: "address `relais serve` listens on (0.0.0.0: the whole LAN)",
                defaultValue: "0.0.0.0", kind: .host),
        Setting(key: "serve.port", summary: "port of the portal (catalogue, API, xAPI)", defaultValue: "8080", kind: .port),
        Setting(key: "serve.contentPort", summary: "port of the shared content origin: the box's built-in pages, and redirects to each bundle's own origin", defaultValue: "8081", kind: .port),
        Setting(key: "serve.bundlePorts",
                summary: "ports of the bundles' own origins, START-END: each bundle gets one, assigned once and kept (0: any free port at each start, for tests)",
                defaultValue: "20000-20999", kind: .portRange),
        Setting(key: "serve.maxConnectionsPerAddress",
                summary: "connections one client address may hold open on each port; extra ones are closed at once (raise it when many devices share one address, e.g. behind a NAT or proxy)",
                defaultValue: "256", kind: .positiveInteger),
        Setting(key: "serve.idleTimeoutSeconds", summary: "seconds a connection of either port may stay open with no request in progress",
                defaultValue: "60", kind: .positiveInteger),
        Setting(key: "serve.headerTimeoutSeconds",
                summary: "seconds a request head may take to arrive once its first byte has (else 408 and the connection is closed)",
                defaultValue: "10", kind: .positiveInteger),
        Setting(key: "repository.url", summary: "signed repository `relais sync` pulls from: http(s) address or folder holding metadata/ and targets/",
                defaultValue: "", kind: .repositoryLocation),
        Setting(key: "sync.intervalMinutes", summary: "minutes between two syncs of `relais sync` without --once",
                defaultValue: "60", kind: .positiveInteger),
        Setting(key: "upstream.lrs.url", summary: "upstream LRS the usage statements are pushed to: its xAPI endpoint (statements are POSTed to URL/statements); empty: no push",
                defaultValue: "", kind: .httpURL),
        Setting(key: "upstream.lrs.username", summary: "Basic-auth user name (key) the upstream LRS gave this box",
                defaultValue: "", kind: .text),
        Setting(key: "upstream.lrs.password", summary: "Basic-auth password (secret) the upstream LRS gave this box",
                defaultValue: "", kind: .text),
        Setting(key: "upstream.batchSize", summary: "statements per POST to the upstream LRS (a 413 answer halves it for the rest of the push)",
                defaultValue: "100", kind: .positiveInteger),
        Setting(key: "upstream.window", summary: "daily window, local time, in which `relais serve` pushes (e.g. 17:30-07:30); empty: always",
                defaultValue: "", kind: .dailyWindow),
        Setting(key: "upstream.maxBytesPerSecond", summary: "bandwidth cap of the push, in bytes per second; 0: no cap",
                defaultValue: "0", kind: .nonNegativeInteger),
        Setting(key: "portal.sessionIdleMinutes", summary: "minutes a staff sign-in stays valid without any request (then sign in again)",
                defaultValue: "120", kind: .positiveInteger),
        Setting(key: "portal.sessionMaxHours", summary: "hours a staff sign-in stays valid at most, used or not",
                defaultValue: "12", kind: .positiveInteger),
        Setting(key: "privacy.retentionDays", summary: "days pupils' statements, launches, SCORM data and xAPI documents are kept on the box; `relais purge` (and `serve`, daily) deletes older ones",
                defaultValue: "365", kind: .positiveInteger),
    ]
}

extension ArchiveLimits {
    /// The limits that the given settings lookup describes (defaults for unset keys).
    public init(settings value: (String) -> String?) {
        let standard = ArchiveLimits.standard
        self.init(
            maxTotalBytes: value("import.maxTotalBytes").flatMap { Int64($0) } ?? standard.maxTotalBytes,
            maxEntries: value("import.maxEntries").flatMap { Int($0) } ?? standard.maxEntries,
            maxRatio: value("import.maxRatio").flatMap { Int64($0) } ?? standard.maxRatio)
    }
}
