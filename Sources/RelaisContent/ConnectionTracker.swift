import NIOCore

/// Knows every open connection of one server so a shutdown can drain them.
///
/// Sits in the server channel's pipeline, where accepted connections pass as `Channel` values
/// before the bootstrap registers them; it lives and runs on the server channel's event loop.
final class ConnectionTracker: ChannelInboundHandler {
    typealias InboundIn = Channel
    typealias InboundOut = Channel

    private let loop: any EventLoop
    private var connections: [ObjectIdentifier: Channel] = [:]
    private var draining = false
    private var serverClosed = false
    private var forceClose: Scheduled<Void>?
    private let gracePeriod: TimeAmount
    /// Succeeds once the listening socket and every connection are closed after a shutdown.
    let finished: EventLoopPromise<Void>

    /// A tracker living on `loop`; connections get `gracePeriod` to finish once draining starts.
    init(loop: any EventLoop, gracePeriod: TimeAmount) {
        self.loop = loop
        self.gracePeriod = gracePeriod
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
        let id = ObjectIdentifier(connection)
        connections[id] = connection
        connection.closeFuture.hop(to: loop).assumeIsolated().whenComplete { [self] _ in
            connections[id] = nil
            checkFinished()
        }
        context.fireChannelRead(data)
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
