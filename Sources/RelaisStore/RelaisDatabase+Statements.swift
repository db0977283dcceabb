import GRDB

extension RelaisDatabase {
    /// Migrations of the statement tables (issue 4); none yet.
    static func registerStatementMigrations(_ migrator: inout DatabaseMigrator) {}
}
