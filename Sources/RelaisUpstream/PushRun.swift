import Logging
import NIOCore
import RelaisStore

/// A statement ready to go: the upstream bytes of one outbox row.
struct OutgoingItem: Sendable {
    let seq: Int64
    let id: String
    let bytes: [UInt8]
}

/// The next rows of the outbox turned into upstream bytes, and those that could not be.
struct PreparedBatch: Sendable {
    var ready: [OutgoingItem] = []
    var unreadable: [(entry: OutboxEntry, reason: String)] = []

    /// The last outbox row read; 0 when there was none.
    var lastSeq: Int64 { max(ready.last?.seq ?? 0, unreadable.last?.entry.seq ?? 0) }

    /// Reads the next rows and turns them into upstream bytes; a body that cannot be read (not
    /// JSON) cannot become valid later, so it is set aside rather than blocking the outbox.
    static func read(box: Box, filter: any OutgoingStatementFilter, after seq: Int64, limit: Int) throws -> PreparedBatch {
        var batch = PreparedBatch()
        for entry in try box.outboxBatch(after: seq, limit: limit) {
            do {
                batch.ready.append(OutgoingItem(seq: entry.seq, id: entry.id, bytes: try filter.outgoing(entry.body)))
            } catch {
                batch.unreadable.append((entry, "the stored statement cannot be read: \(error)"))
            }
        }
        return batch
    }
}

/// The state of one push: batch size (which a 413 shrinks), pacing, retry randomness, report.
/// Lives inside one task; only `PreparedBatch.read` runs beside it, on values it owns.
final class PushRun {
    let pusher: OutboxPusher
    let client: UpstreamClient
    var batchSize: Int
    var pacer: BandwidthPacer
    var random = SystemRandomNumberGenerator()
    var report = PushReport()
    /// False once the push must end (its window closed): checked between batches and retries.
    let shouldContinue: @Sendable () -> Bool

    init(pusher: OutboxPusher, client: UpstreamClient, shouldContinue: @escaping @Sendable () -> Bool) {
        self.pusher = pusher
        self.client = client
        self.shouldContinue = shouldContinue
        batchSize = pusher.configuration.batchSize
        pacer = BandwidthPacer(bytesPerSecond: pusher.configuration.maxBytesPerSecond)
        report.batchSize = batchSize
    }

    var box: Box { pusher.box }
    var logger: Logger { pusher.logger }

    /// Batch after batch, the next one read and pseudonymised while the current one is in flight.
    func pushAll() async throws(UpstreamError) {
        var next = prefetch(after: 0)
        defer { next.cancel() }
        while true {
            let batch = try await awaitPrepared(next)
            for (entry, reason) in batch.unreadable { try quarantine(entry.seq, id: entry.id, reason: reason) }
            guard batch.lastSeq > 0 else { return }
            next = prefetch(after: batch.lastSeq)
            if !batch.ready.isEmpty { try await deliver(batch.ready[...]) }
            report.batchSize = batchSize
            guard shouldContinue() else {
                report.windowClosed = true
                return
            }
        }
    }

    private func prefetch(after seq: Int64) -> Task<PreparedBatch, any Error> {
        let box = self.box, filter = pusher.filter, limit = batchSize
        return Task { try PreparedBatch.read(box: box, filter: filter, after: seq, limit: limit) }
    }

    private func awaitPrepared(_ task: Task<PreparedBatch, any Error>) async throws(UpstreamError) -> PreparedBatch {
        do { return try await task.value } catch { throw .store("\(error)") }
    }

    /// Sends `items` (in batches of the current size) and settles each statement: acknowledged,
    /// or bisected down to the ones the upstream LRS refuses.
    func deliver(_ items: ArraySlice<OutgoingItem>) async throws(UpstreamError) {
        if items.count > batchSize {
            var start = items.startIndex
            while start < items.endIndex {
                // Re-read: a 413 inside the loop shrinks the batches that follow.
                let end = min(start + batchSize, items.endIndex)
                try await deliver(items[start..<end])
                start = end
            }
            return
        }
        switch try await send(items) {
        case .accepted:
            try store { try box.acknowledgeOutbox(items.map(\.seq), at: OutboxPusher.now()) }
            report.acknowledged += items.count
        case .refused(let status, let detail):
            if let only = items.first, items.count == 1 {
                try quarantine(only.seq, id: only.id, reason: "HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")")
            } else {
                try await bisect(items)
            }
        case .tooLarge:
            if let only = items.first, items.count == 1 {
                try quarantine(only.seq, id: only.id, reason: "HTTP 413: the statement alone is larger than the upstream LRS accepts")
            } else {
                batchSize = max(1, items.count / 2)
                logger.warning("upstream LRS: 413 for \(items.count) statements; batches of \(batchSize) from now on")
                try await deliver(items)
            }
        case .credentialsRefused(let status):
            throw .credentialsRefused(status: status, url: client.statementsURL)
        case .misconfigured(let status, let detail):
            throw .misconfigured(status: status, url: client.statementsURL, detail: detail)
        case .transient(let reason):
            // `send` retries transient failures itself and throws when it gives up.
            throw .unreachable(url: client.statementsURL, reason: reason, attempts: pusher.retry.maxAttempts)
        }
    }

    private func bisect(_ items: ArraySlice<OutgoingItem>) async throws(UpstreamError) {
        let middle = items.startIndex + items.count / 2
        try await deliver(items[..<middle])
        try await deliver(items[middle...])
    }

    private func quarantine(_ seq: Int64, id: String, reason: String) throws(UpstreamError) {
        logger.warning("upstream LRS refused statement \(id): \(reason); kept in quarantine")
        try store { try box.quarantineOutbox(seq, reason: reason, at: OutboxPusher.now()) }
        report.quarantined += 1
    }

    /// One POST, paced under the bandwidth cap, retried with backoff and jitter while the
    /// failure says nothing about the statements (5xx, reset, timeout).
    private func send(_ items: ArraySlice<OutgoingItem>) async throws(UpstreamError) -> UpstreamAnswer {
        let payload = Self.payload(items)
        var failures = 0
        while true {
            let wait = pacer.delay(before: payload.readableBytes, now: .now)
            if wait > .zero { try await pause(wait) }
            report.requests += 1
            report.bytesSent += Int64(payload.readableBytes)
            let answer = await client.post(payload)
            guard case .transient(let reason) = answer else { return answer }
            failures += 1
            try store { try box.recordOutboxAttemptFailed(items.map(\.seq), reason: reason) }
            guard failures < pusher.retry.maxAttempts else {
                throw .unreachable(url: client.statementsURL, reason: reason, attempts: failures)
            }
            // A background push whose window closed stops here; the statements wait for the next one.
            guard shouldContinue() else { throw .stopped }
            let delay = pusher.retry.delay(afterFailures: failures, using: &random)
            let milliseconds = delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000
            logger.notice("upstream LRS: \(reason); retrying \(items.count) statements in \(milliseconds) ms (attempt \(failures + 1))")
            try await pause(delay)
        }
    }

    private func pause(_ duration: Duration) async throws(UpstreamError) {
        do { try await Task.sleep(for: duration) } catch { throw .stopped }
    }

    /// The JSON array of the statements, built once per request in one buffer.
    static func payload(_ items: ArraySlice<OutgoingItem>) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: items.reduce(2) { $0 + $1.bytes.count + 1 })
        buffer.writeInteger(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeBytes(item.bytes)
        }
        buffer.writeInteger(UInt8(ascii: "]"))
        return buffer
    }
}
