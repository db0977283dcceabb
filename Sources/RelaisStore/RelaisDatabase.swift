import Foundation
import GRDB
import RelaisCore

/// The box's database: one SQLite file in WAL mode, its schema kept by append-only migrations.
///
/// Every write is a named method below or in an extension, each one transaction.
public final class RelaisDatabase: Sendable {
    /// The GRDB pool: one writer, concurrent readers.
    public let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    public init(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A second process (an import while `relais serve` runs) waits instead of failing at once.
        configuration.busyMode = .timeout(10)
        configuration.label = "relais"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try RelaisDatabase.refuseNewerSchema(pool)
            try RelaisDatabase.migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database("\(error)")
        }
    }

    /// Opens the database of an initialised data directory.
    public convenience init(_ directory: DataDirectory) throws(StoreError) {
        try directory.requireInitialized()
        try self.init(path: directory.databasePath)
    }

    /// Runs `body` in one write transaction, mapping GRDB errors to `StoreError.database`.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as DatabaseError {
            throw StoreError.database(error.description)
        }
    }

    /// Runs `body` on a read connection.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as DatabaseError {
            throw StoreError.database(error.description)
        }
    }
}
