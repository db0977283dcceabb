import GRDB

extension RelaisDatabase {
    /// Migrations of the outbox tables (issue 4); none yet.
    static func registerOutboxMigrations(_ migrator: inout DatabaseMigrator) {}
}
