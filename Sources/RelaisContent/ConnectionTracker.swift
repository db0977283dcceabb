import Logging
import NIOCore

/// Knows every open connection of one server so a shutdown can drain them, and keeps their
/// number within bounds: per client address (extra ones are closed at once) and in all (past
/// `maximumConnections` the listening socket is not read, so new connections wait in the
/// kernel's backlog until one closes, instead of failing with "too many open files").
///
/// Sits in the server channel's pipeline, where accepted connections pass as `Channel` values
/// before the bootstrap registers them; it lives and runs on the server channel's event loop.
final class ConnectionTracker: ChannelDuplexHandler {
    typealias InboundIn = Channel
    typealias InboundOut = Channel
    typealias OutboundIn = Never
    typealias OutboundOut = Never

    private let loop: any EventLoop
    private var connections: [ObjectIdentifier: Channel] = [:]
    private var draining = false
    private var serverClosed = false
    private var forceClose: Scheduled<Void>?
    private let gracePeriod: TimeAmount
    private let perAddress: AddressConnectionLimit
    private let maximumConnections: Int
    private let logger: Logger
    /// The server channel's context while accepting is held back by `maximumConnections`.
    private var heldRead: ChannelHandlerContext?
    private var lastAcceptErrorLog: NIODeadline?
    /// Succeeds once the listening socket and every connection are closed after a shutdown.
    let finished: EventLoopPromise<Void>

    /// A tracker living on `loop`; connections get `gracePeriod` to finish once draining starts.
    init(
        loop: any EventLoop, gracePeriod: TimeAmount, perAddress: AddressConnectionLimit = .init(maximumPerAddress: .max),
        maximumConnections: Int = .max, logger: Logger = Logger(label: "relais.content")
    ) {
        self.loop = loop
        self.gracePeriod = gracePeriod
        self.perAddress = perAddress
        self.maximumConnections = max(1, maximumConnections)
        self.logger = logger
        self.finished = loop.makePromise(of: Void.self)
    }

    /// How many connections are open.
    var openConnections: Int { connections.count }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let connection = unwrapInboundIn(data)
        if draining {
            connection.close(promise: nil)
            return
        }
        guard perAddress.admitOrClose(connection, logger: logger, origin: "content") else { return }
        let id = ObjectIdentifier(connection)
        connections[id] = connection
        connection.closeFuture.hop(to: loop).assumeIsolated().whenComplete { [self] _ in
            connections[id] = nil
            if let held = heldRead, connections.count < maximumConnections {
                heldRead = nil
                held.read()
            }
            checkFinished()
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        if connections.count >= maximumConnections, !draining {
            if heldRead == nil {
                logger.warning("open connections at the maximum: new ones wait until one closes", metadata: ["content.connections": "\(connections.count)"])
            }
            heldRead = context
            return
        }
        context.read()
    }

    /// Accept errors (EMFILE, ENFILE…) reach here after `AcceptBackoffHandler` paused accepting;
    /// the server goes on. Logged at most once a second.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let now = NIODeadline.now()
        if lastAcceptErrorLog.map({ now - $0 >= .seconds(1) }) ?? true {
            lastAcceptErrorLog = now
            logger.error(
                "cannot accept a connection; retrying in a moment",
                metadata: ["content.error": "\(error)", "content.connections": "\(connections.count)"])
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The listening socket went away on its own (or by `drain`): either way, wind down.
        serverClosed = true
        startDraining()
        checkFinished()
        context.fireChannelInactive()
    }

    /// Stops accepting, asks every connection to close after its current response, and closes
    /// whatever is still open when the grace period ends.
    func drain(serverChannel: Channel) {
        startDraining()
        serverChannel.close(promise: nil)
    }

    private func startDraining() {
        guard !draining else { return }
        draining = true
        for connection in connections.values {
            connection.pipeline.fireUserInboundEventTriggered(ContentServer.Quiesce())
        }
        forceClose = loop.assumeIsolated().scheduleTask(in: gracePeriod) { [self] in
            for connection in connections.values { connection.close(promise: nil) }
        }
    }

    private func checkFinished() {
        guard draining, serverClosed, connections.isEmpty else { return }
        forceClose?.cancel()
        forceClose = nil
        finished.succeed(())
    }
}
