#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock on `DIR/lock`, held by whoever writes to the store (import, sync, gc),
/// so a crash-recovery pass never deletes the staging files of an import still running.
public final class StoreLock {
    private let fd: Int32

    /// Takes the lock, failing at once with `.busy` when another process holds it. `path`
    /// defaults to the store lock; a sync holds `DIR/sync.lock` around its many imports.
    public init(_ directory: DataDirectory, path: String? = nil) throws(StoreError) {
        let path = path ?? directory.lockPath
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io("cannot open", path: path, errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .busy(directory.root.path)
        }
        self.fd = fd
    }

    deinit {
        // Closing the descriptor releases the flock; the kernel also does it when the process dies.
        close(fd)
    }
}
