import NIOCore
import NIOPosix

/// Where bcrypt runs (cost 12: ~0.3 s of CPU per sign-in): threads of their own, never the Swift
/// concurrency pool the portal's handlers run on. Measured with `scripts/bench portal`: with bcrypt
/// on that pool, 50 sign-ins at once held every page request for 5 s; here the pages keep
/// answering while the sign-ins queue on these threads.
enum PasswordWork {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount))
        pool.start()
        return pool
    }()

    /// Runs `body` (a sign-in, a setup, a password change) on the password threads.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
