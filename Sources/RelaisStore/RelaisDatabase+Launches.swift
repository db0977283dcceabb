import GRDB

extension RelaisDatabase {
    /// Migrations of the learner and launch tables (issue 4); none yet.
    static func registerLaunchMigrations(_ migrator: inout DatabaseMigrator) {}
}
