import Logging
import RelaisCore
import RelaisStore
import RelaisXAPI

/// Writes the LMS's `satisfied` statements of cmi5 courses (moveOn, cmi5 9.3.9) as the AUs'
/// completed/passed statements arrive in the local LRS: the LRS tells it of every stored batch,
/// and the registrations those statements name are checked against their AUs' moveOn.
public struct Cmi5MoveOn: Sendable {
    let box: Box
    let logger: Logger

    public init(box: Box, logger: Logger) {
        self.box = box
        self.logger = logger
    }

    /// The observer to give the LRS routes.
    public var observer: @Sendable ([JSONValue]) -> Void {
        let box = box, logger = logger
        return { statements in
            let registrations = Set(statements.compactMap { statement -> String? in
                guard let verb = statement["verb"]?["id"]?.stringValue, verb == Verb.completed || verb == Verb.passed else { return nil }
                return statement["context"]?["registration"]?.stringValue
            })
            guard !registrations.isEmpty else { return }
            let launcher = Cmi5Launcher(service: LaunchService(box: box))
            for registration in registrations.sorted() {
                do {
                    try launcher.evaluateMoveOn(registration: registration)
                } catch {
                    // The AU's statements are stored whatever happens here; the next completed or
                    // passed statement of the registration checks again.
                    logger.warning("cmi5 moveOn check failed", metadata: ["launch.registration": "\(registration)", "launch.error": "\(error)"])
                }
            }
        }
    }
}
