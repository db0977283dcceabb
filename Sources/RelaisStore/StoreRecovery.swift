import Foundation
import Logging
import RelaisCore

/// Undoes what a killed import left behind: its staging folder, and the blobs it had moved into the
/// store without the database ever referencing them. Runs under the store lock.
struct StoreRecovery {
    let directory: DataDirectory
    let database: RelaisDatabase
    let logger: Logger

    func run() throws {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.tmpPath) else { return }
        let blobs = BlobStore(directory)
        for name in names where name.hasPrefix(ImportStaging.prefix) {
            let folder = directory.tmpPath + "/" + name
            let journal = (try? String(contentsOfFile: folder + "/" + ImportStaging.journalName, encoding: .utf8)) ?? ""
            var removed = 0
            for line in journal.split(separator: "\n") {
                guard let hash = ContentHash(hex: String(line)) else { continue }
                if try !database.isReferenced(hash) {
                    blobs.remove(hash)
                    removed += 1
                }
            }
            try? fm.removeItem(atPath: folder)
            logger.warning("removed what an interrupted import left", metadata: ["store.staging": "\(name)", "store.blobsRemoved": "\(removed)"])
        }
    }
}

extension StoreRecovery {
    /// Cleans up after a crash if no other process is writing now (otherwise leaves it to that one).
    static func runIfIdle(directory: DataDirectory, database: RelaisDatabase, logger: Logger) throws {
        guard let lock = try? StoreLock(directory) else { return }
        defer { withExtendedLifetime(lock) {} }
        try StoreRecovery(directory: directory, database: database, logger: logger).run()
    }
}
