import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on `.relais-hub/lock`, held while one `relais repo` command reads and writes
/// the draft and the metadata: two publishes at once would sign the same version twice.
final class HubLock {
    private let fd: Int32

    init(_ layout: HubLayout) throws(HubError) {
        fd = open(layout.lock, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw .io(what: "open the lock", path: layout.lock, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .busy(layout.repo)
        }
        // Copies a killed `add` left behind are no one's now.
        HubFiles.remove(layout.staging)
    }

    deinit { close(fd) }
}
