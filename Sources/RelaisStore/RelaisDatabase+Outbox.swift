import GRDB

extension RelaisDatabase {
    /// Migrations of the outbox to the upstream LRS (issue 4).
    ///
    /// `outbox` holds one row per statement not yet acknowledged by the upstream LRS. A trigger
    /// queues every statement in the very transaction that stores it, so no crash can leave a
    /// statement stored but never pushed; the push deletes a row only once the upstream LRS has
    /// answered 200/204 for it. A refused statement stays, with `quarantinedAt` and the reason,
    /// until an admin retries it (`relais sync --once --retry-quarantined`).
    static func registerOutboxMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-outbox") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY REFERENCES statement(seq) ON DELETE CASCADE,
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    lastError TEXT,
                    quarantinedAt INTEGER
                );
                CREATE INDEX outboxQuarantined ON outbox(quarantinedAt) WHERE quarantinedAt IS NOT NULL;
                CREATE TRIGGER statementQueuedForUpstream AFTER INSERT ON statement
                BEGIN
                    INSERT INTO outbox (seq) VALUES (NEW.seq);
                END;
                INSERT INTO outbox (seq) SELECT seq FROM statement;
                CREATE TABLE upstreamState (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    lastAttemptAt INTEGER,
                    lastSuccessAt INTEGER,
                    lastError TEXT,
                    credentialsRefusedAt INTEGER,
                    acknowledgedTotal INTEGER NOT NULL DEFAULT 0
                );
                INSERT INTO upstreamState (id) VALUES (1);
                """)
        }
    }
}
