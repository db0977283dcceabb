import Foundation
import GRDB

/// One statement waiting for the upstream LRS: its place in the local LRS and its body as stored.
public struct OutboxEntry: Sendable, Hashable {
    public let seq: Int64
    /// The statement id (UUID), to name it in logs and quarantine reasons.
    public let id: String
    public let body: [UInt8]

    public init(seq: Int64, id: String, body: [UInt8]) {
        self.seq = seq
        self.id = id
        self.body = body
    }
}

/// The push side of `relais status`: what waits, what the upstream LRS refused, how the last push went.
public struct OutboxStatus: Codable, Sendable {
    /// Statements not yet acknowledged, quarantined ones excluded.
    public let pending: Int
    /// Statements the upstream LRS refused, kept until retried.
    public let quarantined: Int
    /// When the oldest pending statement was stored, Unix seconds like every time of this status.
    public let oldestPendingAt: Int64?
    public let lastAttemptAt: Int64?
    public let lastSuccessAt: Int64?
    /// Why the last push stopped early; nil when it emptied the outbox.
    public let lastError: String?
    /// Set while the upstream LRS refuses the box's credentials (401/403); cleared by a push that gets through.
    public let credentialsRefusedAt: Int64?
    /// Statements acknowledged by the upstream LRS since the box was created.
    public let acknowledgedTotal: Int64
    /// The first quarantined statements, oldest first, with the upstream's reason.
    public let quarantine: [Quarantined]

    public struct Quarantined: Codable, Sendable {
        public let seq: Int64
        public let id: String
        public let reason: String
        public let at: Int64
    }
}

extension Box {
    /// Up to `limit` pending statements after `seq`, oldest first (quarantined ones skipped).
    public func outboxBatch(after seq: Int64, limit: Int) throws -> [OutboxEntry] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.seq, s.id, s.body FROM outbox o JOIN statement s ON s.seq = o.seq
                WHERE o.seq > ? AND o.quarantinedAt IS NULL ORDER BY o.seq LIMIT ?
                """, arguments: [seq, limit]
            ).map { row in OutboxEntry(seq: row[0], id: row[1], body: Array((row[2] as Data?) ?? Data())) }
        }
    }

    /// The upstream LRS answered 200/204 for these statements: they leave the outbox, in one transaction.
    public func acknowledgeOutbox(_ seqs: [Int64], at now: Int64) throws {
        guard !seqs.isEmpty else { return }
        try database.write { db in
            for chunk in seqs.chunked(by: 500) {
                try db.execute(
                    sql: "DELETE FROM outbox WHERE seq IN (\(databaseQuestionMarks(count: chunk.count)))",
                    arguments: StatementArguments(chunk))
            }
            try db.execute(sql: """
                UPDATE upstreamState SET lastSuccessAt = ?, credentialsRefusedAt = NULL,
                acknowledgedTotal = acknowledgedTotal + ? WHERE id = 1
                """, arguments: [now, seqs.count])
        }
    }

    /// The upstream LRS refused this statement alone: it waits aside, with the reason, until retried.
    public func quarantineOutbox(_ seq: Int64, reason: String, at now: Int64) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE outbox SET quarantinedAt = ?, lastError = ?, attempts = attempts + 1 WHERE seq = ?",
                arguments: [now, reason, seq])
        }
    }

    /// A send of these statements failed without an answer about them (network, 5xx): count it.
    public func recordOutboxAttemptFailed(_ seqs: [Int64], reason: String) throws {
        guard !seqs.isEmpty else { return }
        try database.write { db in
            for chunk in seqs.chunked(by: 500) {
                try db.execute(
                    sql: "UPDATE outbox SET attempts = attempts + 1, lastError = ? WHERE seq IN (\(databaseQuestionMarks(count: chunk.count)))",
                    arguments: [reason] + StatementArguments(chunk))
            }
        }
    }

    /// Records the end of a push: `error` nil when it emptied the outbox.
    public func recordUpstreamPush(at now: Int64, error: String?, credentialsRefused: Bool = false) throws {
        try database.write { db in
            try db.execute(sql: """
                UPDATE upstreamState SET lastAttemptAt = ?, lastError = ?,
                credentialsRefusedAt = CASE WHEN ? THEN ? ELSE credentialsRefusedAt END WHERE id = 1
                """, arguments: [now, error, credentialsRefused, now])
        }
    }

    /// Puts every quarantined statement back in line for the next push; returns how many.
    @discardableResult
    public func releaseQuarantine() throws -> Int {
        try database.write { db in
            try db.execute(sql: "UPDATE outbox SET quarantinedAt = NULL WHERE quarantinedAt IS NOT NULL")
            return db.changesCount
        }
    }

    /// The push side of `relais status`.
    public func outboxStatus(quarantineListed: Int = 20) throws -> OutboxStatus {
        try database.read { db in
            let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE quarantinedAt IS NULL") ?? 0
            let quarantined = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE quarantinedAt IS NOT NULL") ?? 0
            let oldest = try Int64.fetchOne(db, sql: """
                SELECT s.storedAt / 1000 FROM outbox o JOIN statement s ON s.seq = o.seq
                WHERE o.quarantinedAt IS NULL ORDER BY o.seq LIMIT 1
                """)
            let listed = try Row.fetchAll(db, sql: """
                SELECT o.seq, s.id, IFNULL(o.lastError, ''), o.quarantinedAt FROM outbox o JOIN statement s ON s.seq = o.seq
                WHERE o.quarantinedAt IS NOT NULL ORDER BY o.seq LIMIT ?
                """, arguments: [quarantineListed]
            ).map { OutboxStatus.Quarantined(seq: $0[0], id: $0[1], reason: $0[2], at: $0[3]) }
            let state = try Row.fetchOne(db, sql: """
                SELECT lastAttemptAt, lastSuccessAt, lastError, credentialsRefusedAt, acknowledgedTotal FROM upstreamState WHERE id = 1
                """)
            return OutboxStatus(
                pending: pending, quarantined: quarantined, oldestPendingAt: oldest,
                lastAttemptAt: state?[0], lastSuccessAt: state?[1], lastError: state?[2],
                credentialsRefusedAt: state?[3], acknowledgedTotal: state?[4] ?? 0, quarantine: listed)
        }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements (SQLite caps the parameters of one statement).
    fileprivate func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
