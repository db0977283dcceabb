import NIOCore

extension ContentServer {
    /// The content origin's tunables; every field has a default that suits the school appliance.
    ///
    /// - `contentSecurityPolicy`: sent on every file response; sandboxes the bundle in an opaque
    ///   origin-like box while letting ordinary HTML5 content run.
    /// - `smallFileThreshold`: files of at most this many bytes are served from memory (read once,
    ///   then kept in the cache); larger ones are streamed with sendfile and never held in memory.
    /// - `cacheBudget`: total bytes of small files kept in memory, split evenly between event loops.
    /// - `idleTimeout`: a connection with no request and no write progress for this long is closed.
    /// - `headerTimeout`: a request head that started arriving must be complete within this
    ///   time, or the connection is answered 408 and closed (a client sending half a head and
    ///   stopping, or dribbling bytes to keep the idle timeout at bay).
    /// - `maximumConnectionsPerAddress`: connections one client address may hold open; extra
    ///   ones are closed as soon as they are accepted.
    /// - `maximumConnections`: open connections in all; past it new ones wait in the kernel's
    ///   backlog until one closes, so the process keeps descriptors for its files.
    /// - `maximumRanges`: a Range header with more pieces is answered with the whole file.
    /// - `shutdownGracePeriod`: how long in-flight responses may run after a graceful shutdown.
    /// - `streamChunkSize`: the largest piece of a big file handed to the socket at once; each
    ///   completed piece proves the client is still reading, which the idle timeout relies on.
    public struct Configuration: Sendable {
        /// The default `Content-Security-Policy`.
        /// No popups, modals, downloads or top navigation; framed by its own origin only (the
        /// portal widens `frame-ancestors` to itself).
        public static let defaultContentSecurityPolicy =
            "sandbox allow-scripts allow-same-origin allow-forms allow-pointer-lock; "
            + "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; frame-ancestors 'self'"

        /// Sent as `Content-Security-Policy` with every file.
        public var contentSecurityPolicy: String
        /// Largest file served from the memory cache, in bytes.
        public var smallFileThreshold: Int
        /// Memory budget of the small-file cache, in bytes, for the whole server.
        public var cacheBudget: Int
        /// How long an idle connection stays open.
        public var idleTimeout: TimeAmount
        /// How long a request head may take to arrive once its first byte has.
        public var headerTimeout: TimeAmount
        /// Most connections open at once from one client address.
        public var maximumConnectionsPerAddress: Int
        /// Most connections open at once in all.
        public var maximumConnections: Int
        /// Most ranges honoured in one Range header.
        public var maximumRanges: Int
        /// How long in-flight responses may take to finish after a graceful shutdown.
        public var shutdownGracePeriod: TimeAmount
        /// Largest piece of a streamed file written at once, in bytes.
        public var streamChunkSize: Int
        /// Sent as the `Server` header.
        public var serverName: String
        /// Pages served under `/_relais/` (`BuiltinPage`), keyed by path; none by default.
        public var builtinPages: [String: BuiltinPage] = [:]
        /// Told of every response (the server's `/metrics` counters); none by default.
        public var traffic: (any ContentTrafficObserver)? = nil

        /// A configuration with the appliance's defaults, any of which can be overridden.
        public init(
            contentSecurityPolicy: String = Configuration.defaultContentSecurityPolicy,
            smallFileThreshold: Int = 64 * 1024,
            cacheBudget: Int = 16 * 1024 * 1024,
            idleTimeout: TimeAmount = .seconds(60),
            headerTimeout: TimeAmount = .seconds(10),
            maximumConnectionsPerAddress: Int = 256,
            maximumConnections: Int = 4096,
            maximumRanges: Int = 16,
            shutdownGracePeriod: TimeAmount = .seconds(5),
            streamChunkSize: Int = 1024 * 1024,
            serverName: String = "relais"
        ) {
            self.contentSecurityPolicy = contentSecurityPolicy
            self.smallFileThreshold = smallFileThreshold
            self.cacheBudget = cacheBudget
            self.idleTimeout = idleTimeout
            self.headerTimeout = headerTimeout
            self.maximumConnectionsPerAddress = max(1, maximumConnectionsPerAddress)
            self.maximumConnections = max(1, maximumConnections)
            self.maximumRanges = maximumRanges
            self.shutdownGracePeriod = shutdownGracePeriod
            self.streamChunkSize = max(4096, streamChunkSize)
            self.serverName = serverName
        }
    }
}
