import ArgumentParser
import Foundation
import Logging
import RelaisStore

/// `--data DIR`, the box's data folder, shared by every verb that works on a box.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data folder of the box (created by `relais init`).")
    var data: String

    var directory: DataDirectory { DataDirectory(data) }

    /// Opens the box (cleaning up after a killed import first).
    func openBox(logLevel: Logger.Level = .warning) throws -> Box {
        try Box.open(directory, logger: makeLogger(level: logLevel))
    }
}

/// A logger writing to stderr; `RELAIS_LOG_LEVEL` (trace…critical) overrides the verb's default.
func makeLogger(level: Logger.Level) -> Logger {
    var logger = Logger(label: "relais") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = ProcessInfo.processInfo.environment["RELAIS_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? level
    return logger
}
