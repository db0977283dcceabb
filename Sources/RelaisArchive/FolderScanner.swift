import RelaisCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists a source folder for packing with the checks `ArchiveReader` applies to an archive: names
/// read as raw bytes (a name that is not UTF-8 is refused, not mangled), symlinks kept but refused
/// when they leave the folder, devices, FIFOs and sockets refused, entry count and size bounded.
struct FolderScanner {
    /// One thing found, path relative to the folder.
    struct Item {
        enum Kind { case directory, file(size: Int64, executable: Bool), link(target: String) }
        var path: BundlePath
        var kind: Kind
        /// Where it is on disk.
        var location: String
    }

    let root: String
    let limits: ArchiveLimits
    private(set) var items: [Item] = []
    private(set) var skipped: [String] = []
    private var totalBytes: Int64 = 0

    /// Walks `root` (symlinks not followed); items come sorted by path, parents before children.
    init(root: String, limits: ArchiveLimits) throws(ArchiveError) {
        self.root = root
        self.limits = limits
        try walk(folder: root, relative: [])
        items.sort { $0.path < $1.path }
    }

    private mutating func walk(folder: String, relative: [UInt8]) throws(ArchiveError) {
        guard let directory = opendir(folder) else {
            throw .sourceUnreadable(path: folder, reason: DiskFile.systemError())
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [46] || name == [46, 46] { continue }  // "." and ".."
            let relativeName = relative.isEmpty ? name : relative + [47] + name
            let location = folder + "/" + String(decoding: name, as: UTF8.self)
            let path: BundlePath
            do { path = try BundlePath(entryName: relativeName) } catch { throw .unsafeName(error) }
            if PackageDetector.isLitter(path) {
                skipped.append(path.value)
                continue
            }
            var info = stat()
            guard lstat(location, &info) == 0 else {
                throw .sourceUnreadable(path: location, reason: DiskFile.systemError())
            }
            guard items.count < limits.maxEntries else { throw .tooManyEntries(entry: path.value, limit: limits.maxEntries) }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                items.append(Item(path: path, kind: .directory, location: location))
                try walk(folder: location, relative: relativeName)
            case S_IFREG:
                totalBytes += Int64(info.st_size)
                if totalBytes > limits.maxTotalBytes { throw .tooLarge(entry: path.value, limit: limits.maxTotalBytes) }
                let executable = info.st_mode & 0o111 != 0
                items.append(Item(path: path, kind: .file(size: Int64(info.st_size), executable: executable), location: location))
            case S_IFLNK:
                let target = try Self.readLink(location)
                guard let text = String(validating: target, as: UTF8.self), path.resolvingLink(text) != nil else {
                    throw .linkEscapes(entry: path.value, target: String(decoding: target, as: UTF8.self))
                }
                items.append(Item(path: path, kind: .link(target: text), location: location))
            case S_IFCHR, S_IFBLK:
                throw .specialFile(entry: path.value, type: "device")
            case S_IFIFO:
                throw .specialFile(entry: path.value, type: "FIFO")
            default:
                throw .specialFile(entry: path.value, type: "socket")
            }
        }
    }

    private static func readLink(_ location: String) throws(ArchiveError) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(location, &buffer, buffer.count)
        guard count >= 0 else { throw .sourceUnreadable(path: location, reason: DiskFile.systemError()) }
        return buffer.prefix(count).map { UInt8(bitPattern: $0) }
    }
}
