import Foundation
import Logging
import RelaisStore
import ServiceLifecycle

/// Writes the LMS's `satisfied` statements of cmi5 courses (moveOn, cmi5 9.3.9) as the AUs'
/// completed/passed statements arrive in the local LRS: every `interval`, the registrations of
/// cmi5 launches of the last two days that are not satisfied yet are checked again.
///
/// Polling keeps the launch side independent of the LRS's ingestion path; `Cmi5Launcher.evaluateMoveOn`
/// is also what an ingestion observer would call, should the LRS expose one.
struct Cmi5MoveOnWatcher: Service {
    let box: Box
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let launcher = Cmi5Launcher(service: LaunchService(box: box))
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                try Self.checkRecent(launcher: launcher, now: Date())
            } catch {
                logger.warning("cmi5 moveOn check failed", metadata: ["launch.error": "\(error)"])
            }
        }
    }

    /// One pass over the recent cmi5 registrations.
    static func checkRecent(launcher: Cmi5Launcher, now: Date) throws {
        let since = Int64(now.timeIntervalSince1970) - 2 * 86_400
        var seen: Set<String> = []
        for launch in try launcher.box.recentLaunches(standard: "cmi5", since: since) where seen.insert(launch.registration).inserted {
            if try launcher.box.isCmi5Satisfied(registration: launch.registration, activityId: "course") { continue }
            try launcher.evaluateMoveOn(registration: launch.registration)
        }
    }
}
