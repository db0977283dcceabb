import CoreMetrics
import Foundation
import Prometheus
import RelaisContent
import RelaisStore

/// The server's metrics: one Prometheus registry per server (not swift-metrics' global bootstrap,
/// so tests can run several servers in one process, each counting its own), fed through
/// swift-metrics' API. Request counters are incremented as responses go out; the gauges that come
/// from the database are read at each scrape (`exposition`).
public final class RelaisMetrics: Sendable {
    /// Which server answered.
    public enum Origin: String, Sendable {
        /// The portal (pages, API, xAPI).
        case portal
        /// The shared content port (built-in pages, redirects to a bundle's own origin).
        case content
        /// A bundle's own origin.
        case bundle
    }

    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let counters: CounterTable

    public init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
        counters = CounterTable(factory: factory)
    }

    /// One response served: `relais_http_requests_total` and `relais_http_response_body_bytes_total`.
    public func responded(origin: Origin, status: Int, bodyBytes: Int64) {
        let pair = counters.pair(origin: origin, status: status)
        pair.requests.increment()
        if bodyBytes > 0 { pair.bytes.increment(by: bodyBytes) }
    }

    /// The content origins' hook (RelaisContent knows nothing of metrics).
    public var contentObserver: any ContentTrafficObserver { ContentCounter(metrics: self) }

    /// The Prometheus text exposition: the gauges read from the box now, then every metric.
    public func exposition(box: Box) throws -> [UInt8] {
        let status = try box.status()
        let statements = try box.statementCount()
        func gauge(_ name: String, _ value: Double, _ dimensions: [(String, String)] = []) {
            CoreMetrics.Gauge(label: name, dimensions: dimensions, factory: factory).record(value)
        }
        gauge("relais_info", 1, [("version", status.version), ("uai", status.uai)])
        gauge("relais_bundles", Double(status.bundles.count))
        gauge("relais_store_bytes", Double(status.storedBytes))
        gauge("relais_store_saved_bytes", Double(status.savedBytes))
        gauge("relais_disk_free_bytes", Double(status.disk.freeBytes))
        gauge("relais_disk_used_bytes", Double(status.disk.usedBytes))
        gauge("relais_disk_total_bytes", Double(status.disk.totalBytes))
        gauge("relais_statements_stored", Double(statements))
        gauge("relais_statements_queued", Double(status.upstream.pending))
        gauge("relais_statements_sent", Double(status.upstream.acknowledgedTotal))
        gauge("relais_statements_quarantined", Double(status.upstream.quarantined))
        let oldest = status.upstream.oldestPendingAt.map { max(0, Date().timeIntervalSince1970 - Double($0)) } ?? 0
        gauge("relais_outbox_oldest_age_seconds", oldest)
        gauge("relais_sync_failing", status.sync.lastError == nil ? 0 : 1, [("direction", "pull")])
        gauge("relais_sync_failing", status.upstream.lastError == nil && status.upstream.credentialsRefusedAt == nil ? 0 : 1, [("direction", "push")])
        gauge("relais_sync_last_success_timestamp_seconds", Double(status.sync.lastSuccessAt ?? 0), [("direction", "pull")])
        gauge("relais_sync_last_success_timestamp_seconds", Double(status.upstream.lastSuccessAt ?? 0), [("direction", "push")])
        gauge("relais_licences_expiring", Double(status.expiringLicences.count))
        gauge("relais_clock_behind_seconds", Double(status.clock.behindBySeconds ?? 0))
        gauge("relais_warnings", Double(status.warnings.count))
        return registry.emitToBuffer()
    }
}

/// The counters by origin and status code, made once each (the registry hands back the same
/// series for the same labels; this table saves the lookup on every response).
private final class CounterTable: @unchecked Sendable {
    struct Pair {
        let requests: CoreMetrics.Counter
        let bytes: CoreMetrics.Counter
    }

    private let factory: PrometheusMetricsFactory
    private let lock = NSLock()
    private var pairs: [Int: Pair] = [:]

    init(factory: PrometheusMetricsFactory) {
        self.factory = factory
    }

    func pair(origin: RelaisMetrics.Origin, status: Int) -> Pair {
        let key = status * 4 + (origin == .portal ? 0 : origin == .content ? 1 : 2)
        lock.lock()
        defer { lock.unlock() }
        if let pair = pairs[key] { return pair }
        let dimensions = [("origin", origin.rawValue), ("code", String(status))]
        let pair = Pair(
            requests: CoreMetrics.Counter(label: "relais_http_requests_total", dimensions: dimensions, factory: factory),
            bytes: CoreMetrics.Counter(label: "relais_http_response_body_bytes_total", dimensions: dimensions, factory: factory))
        pairs[key] = pair
        return pair
    }
}

private struct ContentCounter: ContentTrafficObserver {
    let metrics: RelaisMetrics

    func responded(status: Int, bodyBytes: Int64, bundleOrigin: Bool) {
        metrics.responded(origin: bundleOrigin ? .bundle : .content, status: status, bodyBytes: bodyBytes)
    }
}
