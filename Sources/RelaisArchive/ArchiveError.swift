import RelaisCore

/// Why an archive was refused or could not be read or written; each message names the entry when
/// there is one and says what to do, on one line.
public enum ArchiveError: Error, Equatable, CustomStringConvertible {
    /// The archive file cannot be opened (missing, unreadable, not an archive we read).
    case cannotOpen(path: String, reason: String)
    /// An entry name is unsafe or not valid UTF-8 (absolute, `..`, control character…).
    case unsafeName(BundlePathError)
    /// An entry name that libarchive could not decode at all (invalid UTF-8 flagged as UTF-8).
    case undecodableName(index: Int, after: String?)
    /// A symbolic or hard link whose target resolves outside the bundle.
    case linkEscapes(entry: String, target: String)
    /// A hard link whose target is not a file seen earlier in the archive.
    case hardLinkTargetMissing(entry: String, target: String)
    /// A device, FIFO or socket entry.
    case specialFile(entry: String, type: String)
    /// A setuid or setgid bit.
    case privilegedMode(entry: String, bit: String)
    /// The same normalised path twice.
    case duplicate(entry: String)
    /// A path used both as a file (or link) and as a folder.
    case fileUsedAsFolder(entry: String, folder: String)
    /// More entries than the limit allows.
    case tooManyEntries(entry: String, limit: Int)
    /// More uncompressed bytes (declared or read) than the limit allows.
    case tooLarge(entry: String, limit: Int64)
    /// Uncompressed bytes per compressed byte over the limit: a compression bomb.
    case ratioExceeded(entry: String, ratio: Int64, limit: Int64)
    /// One entry larger than the caller accepts whole (readAll).
    case entryTooLarge(entry: String, maxBytes: Int)
    /// The archive is truncated or corrupt.
    case corrupt(entry: String?, reason: String)
    /// readData/readAll called with no current entry.
    case noCurrentEntry
    /// Writing the archive failed (disk full, permission, bad input).
    case writeFailed(path: String, reason: String)
    /// A file to add could not be read, or changed size while being added.
    case sourceUnreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open « \(path) » as an archive (\(reason)); check the path and that it is a tar, tar.gz or zip"
        case .unsafeName(let error):
            return "\(error); refused: re-pack the archive without this entry"
        case .undecodableName(let index, let after):
            let place = after.map { " (the one after « \($0) »)" } ?? ""
            return "entry #\(index)\(place) has a name that is not valid UTF-8; rename it and re-pack the archive"
        case .linkEscapes(let entry, let target):
            return "entry « \(entry) » links to « \(target) », outside the bundle; replace the link by the file itself"
        case .hardLinkTargetMissing(let entry, let target):
            return "entry « \(entry) » is a hard link to « \(target) », which is not an earlier file of the archive; re-pack without hard links"
        case .specialFile(let entry, let type):
            return "entry « \(entry) » is a \(type), which a bundle cannot hold; remove it and re-pack"
        case .privilegedMode(let entry, let bit):
            return "entry « \(entry) » has the \(bit) bit set; clear it (chmod \(bit == "setuid" ? "u-s" : "g-s")) and re-pack"
        case .duplicate(let entry):
            return "entry « \(entry) » appears twice in the archive; keep one and re-pack"
        case .fileUsedAsFolder(let entry, let folder):
            return "entry « \(entry) » uses « \(folder) » both as a file and as a folder; rename one and re-pack"
        case .tooManyEntries(let entry, let limit):
            return "the archive has more than \(limit) entries (« \(entry) » is one too many); split the content or raise the entry limit"
        case .tooLarge(let entry, let limit):
            return "the archive grows past \(limit) uncompressed bytes at entry « \(entry) »; split the content or raise the size limit"
        case .ratioExceeded(let entry, let ratio, let limit):
            return "entry « \(entry) » expands \(ratio):1, over the \(limit):1 limit (a compression bomb?); refused: get the content from its publisher"
        case .entryTooLarge(let entry, let maxBytes):
            return "entry « \(entry) » is larger than the \(maxBytes) bytes allowed for it; shrink it and re-pack"
        case .corrupt(let entry?, let reason):
            return "the archive is truncated or corrupt at entry « \(entry) » (\(reason)); get a fresh copy"
        case .corrupt(nil, let reason):
            return "the archive is truncated or corrupt (\(reason)); get a fresh copy"
        case .noCurrentEntry:
            return "no current entry to read: call nextEntry() first (a bug in the caller)"
        case .writeFailed(let path, let reason):
            return "cannot write « \(path) » (\(reason)); check free space and permissions"
        case .sourceUnreadable(let path, let reason):
            return "cannot read « \(path) » (\(reason)); check it exists, is readable and does not change while packing"
        }
    }
}
