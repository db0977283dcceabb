import Logging
import NIOCore

/// Knows every open connection of one server — across all its listening sockets (the shared port
/// and each bundle's own port) — so a shutdown can drain them, and keeps their number within
/// bounds: per client address and listening port (extra ones are closed at once) and in all (past
/// `maximumConnections` no listening socket is read, so new connections wait in the kernel's
/// backlog until one closes, instead of failing with "too many open files").
///
/// Lives and runs on the control loop, which owns every listening socket; each listening socket
/// reaches it through its `AcceptGate`.
final class ConnectionTracker {
    private let loop: any EventLoop
    private var connections: [ObjectIdentifier: Channel] = [:]
    private var listeners: [ObjectIdentifier: Channel] = [:]
    private var draining = false
    private var forceClose: Scheduled<Void>?
    private let gracePeriod: TimeAmount
    private let maximumPerAddress: Int
    private let maximumConnections: Int
    private let logger: Logger
    /// Listening sockets whose accepting is held back by `maximumConnections`.
    private var heldReads: [ObjectIdentifier: ChannelHandlerContext] = [:]
    private var lastAcceptErrorLog: NIODeadline?
    /// Succeeds once every listening socket and every connection are closed after a shutdown.
    let finished: EventLoopPromise<Void>

    /// A tracker living on `loop`; connections get `gracePeriod` to finish once draining starts.
    init(
        loop: any EventLoop, gracePeriod: TimeAmount, maximumPerAddress: Int = .max,
        maximumConnections: Int = .max, logger: Logger = Logger(label: "relais.content")
    ) {
        self.loop = loop
        self.gracePeriod = gracePeriod
        self.maximumPerAddress = max(1, maximumPerAddress)
        self.maximumConnections = max(1, maximumConnections)
        self.logger = logger
        self.finished = loop.makePromise(of: Void.self)
    }

    /// How many connections are open.
    var openConnections: Int { connections.count }

    /// The gate to put in a new listening socket's pipeline; its own per-address bound.
    func gate(primary: Bool) -> AcceptGate {
        AcceptGate(tracker: self, perAddress: AddressConnectionLimit(maximumPerAddress: maximumPerAddress), primary: primary)
    }

    /// A listening socket is bound (it is closed at once when the server is already draining).
    func listening(_ channel: Channel) {
        if draining {
            channel.close(promise: nil)
            return
        }
        listeners[ObjectIdentifier(channel)] = channel
    }

    /// Takes an accepted connection; false when it was closed (draining, or over its address's bound).
    func admit(_ connection: Channel, perAddress: AddressConnectionLimit) -> Bool {
        if draining {
            connection.close(promise: nil)
            return false
        }
        guard perAddress.admitOrClose(connection, logger: logger, origin: "content") else { return false }
        let id = ObjectIdentifier(connection)
        connections[id] = connection
        connection.closeFuture.hop(to: loop).assumeIsolated().whenComplete { [self] _ in
            connections[id] = nil
            if connections.count < maximumConnections, !heldReads.isEmpty {
                let held = heldReads.values
                heldReads = [:]
                for context in held { context.read() }
            }
            checkFinished()
        }
        return true
    }

    /// Whether a listening socket may accept now; when not, its read is held until a connection closes.
    func mayRead(_ context: ChannelHandlerContext) -> Bool {
        guard connections.count >= maximumConnections, !draining else { return true }
        if heldReads.isEmpty {
            logger.warning("open connections at the maximum: new ones wait until one closes", metadata: ["content.connections": "\(connections.count)"])
        }
        heldReads[ObjectIdentifier(context.channel)] = context
        return false
    }

    /// Accept errors (EMFILE, ENFILE…) reach here after `AcceptBackoffHandler` paused accepting;
    /// the server goes on. Logged at most once a second.
    func acceptFailed(_ error: any Error) {
        let now = NIODeadline.now()
        if lastAcceptErrorLog.map({ now - $0 >= .seconds(1) }) ?? true {
            lastAcceptErrorLog = now
            logger.error(
                "cannot accept a connection; retrying in a moment",
                metadata: ["content.error": "\(error)", "content.connections": "\(connections.count)"])
        }
    }

    /// A listening socket closed. The shared port going away on its own winds the whole server
    /// down (as `drain` does); a bundle's port going away is logged and the rest goes on.
    func closed(listener channel: Channel, primary: Bool) {
        listeners[ObjectIdentifier(channel)] = nil
        heldReads[ObjectIdentifier(channel)] = nil
        if primary {
            startDraining()
        } else if !draining {
            logger.warning("a bundle's listening socket closed", metadata: ["content.port": "\(channel.localAddress?.port ?? 0)"])
        }
        checkFinished()
    }

    /// Stops accepting on every port, asks every connection to close after its current
    /// response, and closes whatever is still open when the grace period ends.
    func drain() {
        startDraining()
        for listener in listeners.values { listener.close(promise: nil) }
    }

    private func startDraining() {
        guard !draining else { return }
        draining = true
        for listener in listeners.values { listener.close(promise: nil) }
        for connection in connections.values {
            connection.pipeline.fireUserInboundEventTriggered(ContentServer.Quiesce())
        }
        forceClose = loop.assumeIsolated().scheduleTask(in: gracePeriod) { [self] in
            for connection in connections.values { connection.close(promise: nil) }
        }
    }

    private func checkFinished() {
        guard draining, listeners.isEmpty, connections.isEmpty else { return }
        forceClose?.cancel()
        forceClose = nil
        finished.succeed(())
    }
}

/// Sits in one listening socket's pipeline, where accepted connections pass as `Channel` values
/// before the bootstrap registers them, and hands them to the server's `ConnectionTracker`.
final class AcceptGate: ChannelDuplexHandler {
    typealias InboundIn = Channel
    typealias InboundOut = Channel
    typealias OutboundIn = Never
    typealias OutboundOut = Never

    private let tracker: ConnectionTracker
    private let perAddress: AddressConnectionLimit
    private let primary: Bool

    init(tracker: ConnectionTracker, perAddress: AddressConnectionLimit, primary: Bool) {
        self.tracker = tracker
        self.perAddress = perAddress
        self.primary = primary
    }

    func channelActive(context: ChannelHandlerContext) {
        tracker.listening(context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard tracker.admit(unwrapInboundIn(data), perAddress: perAddress) else { return }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        if tracker.mayRead(context) { context.read() }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        tracker.acceptFailed(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        tracker.closed(listener: context.channel, primary: primary)
        context.fireChannelInactive()
    }
}
