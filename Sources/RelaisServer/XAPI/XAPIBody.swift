#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Hummingbird
import NIOCore
import RelaisXAPI
import Synchronization

/// How much of a request body the LRS holds in memory, and how many large bodies at once.
///
/// A statement POST is buffered (the batch is stored all or none, so it is parsed whole before
/// the transaction): at most `maxJSON` bytes for JSON and `maxMultipart` for multipart/mixed
/// (statements and their attachments). Bodies over `largeBody` (or of unknown length) take one
/// of `largePermits` permits first: the others wait up to `wait`, then get 503 with
/// Retry-After. 32 clients posting 15 MB at once thus cost one body of memory, not 32, and
/// the memory goes back to the system once the last large body is done (and again a moment
/// later, after the bodies of refused requests have been drained).
enum XAPIBodyLimits {
    static let maxJSON = 8 << 20
    static let maxMultipart = 32 << 20
    static let largeBody = 1 << 20
    /// The attachment bytes one `attachments=true` page holds (more pages follow with `more`).
    static let maxAttachmentAnswer = 32 << 20
    /// One at a time: the box has two cores, and a parsed 8 MiB batch of small statements takes
    /// some 150 MB while it is validated and stored.
    static let largePermits = 1
    static let maxWaiting = 32
    static let wait: Duration = .seconds(15)
    static let retryAfterSeconds = 5
}

/// Too many large bodies at once: 503 with Retry-After, which xAPI clients and the upstream
/// push of another box treat as "try again later".
struct XAPIBusy: Error {
    let message: String
}

/// An async counting semaphore with a bounded, deadline-limited queue.
final class BodyGate: Sendable {
    private struct State {
        var available: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextId: UInt64 = 0
        var inUse = 0
    }

    private let state: Mutex<State>
    private let trimPending = Mutex(false)

    init(permits: Int = XAPIBodyLimits.largePermits) { state = Mutex(State(available: permits)) }

    /// How many holders and waiters there are now (for tests).
    var load: (inUse: Int, waiting: Int) { state.withLock { ($0.inUse, $0.waiters.count) } }

    /// Runs `body` holding a permit; throws XAPIBusy when none came within `wait`.
    func withPermit<T: Sendable>(wait: Duration = XAPIBodyLimits.wait, _ body: () async throws -> T) async throws -> T {
        try await acquire(wait: wait)
        defer { release() }
        return try await body()
    }

    func acquire(wait: Duration) async throws {
        let id: UInt64 = state.withLock { s in
            s.nextId += 1
            return s.nextId
        }
        let timeout = Task { [weak self] in
            try await Task.sleep(for: wait)
            self?.expire(id)
        }
        defer { timeout.cancel() }
        // Decide and queue under one lock, so a release between the two cannot be missed.
        let granted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let now: Bool? = state.withLock { s in
                if s.available > 0 {
                    s.available -= 1
                    s.inUse += 1
                    return true
                }
                if s.waiters.count >= XAPIBodyLimits.maxWaiting { return false }
                s.waiters.append((id, continuation))
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
        guard granted else {
            scheduleTrim()
            throw XAPIBusy(message: "the LRS is busy with other large requests: retry in \(XAPIBodyLimits.retryAfterSeconds) s")
        }
    }

    private func expire(_ id: UInt64) {
        let continuation: CheckedContinuation<Bool, Never>? = state.withLock { s in
            guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiters.remove(at: index).continuation
        }
        continuation?.resume(returning: false)
    }

    func release() {
        let (next, idle): (CheckedContinuation<Bool, Never>?, Bool) = state.withLock { s in
            if !s.waiters.isEmpty { return (s.waiters.removeFirst().continuation, false) }
            s.available += 1
            s.inUse -= 1
            return (nil, s.inUse == 0)
        }
        if let next {
            next.resume(returning: true)
        } else if idle {
            Self.returnMemory()
            scheduleTrim()
        }
    }

    /// Trims again once things are quiet: Hummingbird drains the unread bodies of refused
    /// requests after their answer, and their buffers are freed after the trim at release.
    private func scheduleTrim(after delay: Duration = .seconds(2)) {
        guard trimPending.withLock({ pending in
            defer { pending = true }
            return !pending
        }) else { return }
        Task.detached { [weak self] in
            try? await Task.sleep(for: delay)
            guard let self else { return }
            self.trimPending.withLock { $0 = false }
            if self.load.inUse == 0 { Self.returnMemory() }
        }
    }

    /// glibc keeps freed heap in its arenas; after the last large body, give it back
    /// (malloc_trim, looked up at run time: Swift's Glibc module does not declare it).
    static func returnMemory() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }
}

extension XAPIRequest {
    /// Collects the body, at most `limit` bytes (413 naming the limit otherwise), and runs
    /// `handle` with it. A large body (or one of unknown length) is collected and handled under
    /// the large-body gate, so parsing and storing it count against the same permit.
    func withBody<T: Sendable>(limit: Int = XAPIBodyLimits.maxJSON, what: String = "the request body", _ handle: @escaping @Sendable ([UInt8]) async throws -> T)
        async throws -> T
    {
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit { throw tooLarge(limit, what: what) }
        let run: () async throws -> T = {
            // The NIO buffer goes before `handle` runs: one copy of the body at a time.
            let bytes: [UInt8]
            do {
                bytes = Array(try await request.body.collect(upTo: limit).readableBytesView)
            } catch is NIOTooManyBytesError {
                throw tooLarge(limit, what: what)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw tooLarge(limit, what: what)
            }
            return try await handle(bytes)
        }
        if let declared, declared <= XAPIBodyLimits.largeBody { return try await run() }
        return try await gate.withPermit(run)
    }

    func tooLarge(_ limit: Int, what: String) -> XAPIError {
        let advice = what == "the document" ? "store a smaller document" : "send fewer statements per request (attachments: fewer or smaller)"
        return .tooLarge("\(what) is over the \(limit) bytes (\(limit >> 20) MiB) this LRS accepts in one request: \(advice)")
    }
}
