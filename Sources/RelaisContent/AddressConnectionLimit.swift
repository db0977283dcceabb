import Logging
import NIOCore
import Synchronization

/// Counts the open connections of each client address on one listening port, and refuses a new
/// one when its address already holds the maximum.
///
/// One device (a misbehaving client, a script, a pupil's tool) must not take every file
/// descriptor of the box: past the bound its extra connections are closed as soon as they are
/// accepted, and everyone else is still answered. Both the content origin (in its server
/// channel, `ConnectionTracker`) and the portal (in its child-channel setup) use one per port.
/// Safe to call from any event loop.
public final class AddressConnectionLimit: Sendable {
    /// What `admit` decided.
    public enum Admission: Equatable, Sendable {
        /// Counted until it closes.
        case admitted
        /// Over the bound: the caller closes it. `firstSinceAdmitting` is true for the first
        /// refusal of a burst (log once per burst, not once per connection).
        case refused(address: String, firstSinceAdmitting: Bool)
    }

    /// Most connections one address may hold open on this port.
    public let maximumPerAddress: Int
    private let state = Mutex<State>(State())

    private struct State {
        var open: [String: Int] = [:]
        /// Addresses refused since their count was last under the bound.
        var refusing: Set<String> = []
    }

    /// A bound of `maximumPerAddress` (at least 1) connections per client address.
    public init(maximumPerAddress: Int) {
        self.maximumPerAddress = max(1, maximumPerAddress)
    }

    /// Counts `channel` against its remote address until it closes, or refuses it. A channel
    /// without an IP address (a Unix socket) is always admitted and not counted.
    public func admit(_ channel: any Channel) -> Admission {
        guard let address = channel.remoteAddress?.ipAddress else { return .admitted }
        let maximum = maximumPerAddress
        let refusal: Admission? = state.withLock { state in
            let open = state.open[address, default: 0]
            if open >= maximum {
                return .refused(address: address, firstSinceAdmitting: state.refusing.insert(address).inserted)
            }
            state.open[address] = open + 1
            return nil
        }
        if let refusal { return refusal }
        channel.closeFuture.whenComplete { _ in self.release(address) }
        return .admitted
    }

    /// Admits `channel`, or closes it at once and says so in the log (once per burst, naming the
    /// setting to raise); `origin` (`portal`, `content`) prefixes the log metadata. True when admitted.
    public func admitOrClose(_ channel: any Channel, logger: Logger, origin: String) -> Bool {
        guard case .refused(let address, let first) = admit(channel) else { return true }
        if first {
            logger.warning(
                "closing the connections of a client over the per-address limit",
                metadata: [
                    "\(origin).client": "\(address)", "\(origin).limit": "\(maximumPerAddress)",
                    "hint": "raise serve.maxConnectionsPerAddress if many devices share this address",
                ])
        }
        channel.close(promise: nil)
        return false
    }

    /// How many connections `address` holds open now (for tests and logs).
    public func openConnections(from address: String) -> Int {
        state.withLock { $0.open[address, default: 0] }
    }

    private func release(_ address: String) {
        state.withLock { state in
            let open = state.open[address, default: 1] - 1
            state.open[address] = open > 0 ? open : nil
            state.refusing.remove(address)
        }
    }
}
