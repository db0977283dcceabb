import GRDB
import RelaisCore

extension Box {
    /// Every setting that has been set (unset keys take `Setting.defaultValue`).
    public func settings() throws -> [String: String] {
        try database.read { db in
            var values: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting") { values[row[0]] = row[1] }
            return values
        }
    }

    /// The value of a known setting, its default when unset.
    public func setting(_ key: String) throws -> String {
        guard let setting = Setting.named(key) else { throw StoreError.unknownConfigKey(key, known: Setting.all.map(\.key)) }
        return try settings()[key] ?? setting.defaultValue
    }

    /// Sets a known setting after checking its value.
    public func setSetting(_ key: String, to value: String) throws {
        guard let setting = Setting.named(key) else { throw StoreError.unknownConfigKey(key, known: Setting.all.map(\.key)) }
        if let problem = setting.problem(with: value) { throw StoreError.invalidConfigValue(key: key, problem) }
        try database.write { db in
            try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [key, value])
        }
    }
}
