import RelaisCore

/// The paths an archive has declared so far, to refuse duplicates and a path used both as a file and
/// as a folder: whoever extracts such an archive gets whichever entry came last, and a folder path
/// that runs through a symlink can lead a later entry out of the bundle.
struct EntryLedger {
    private enum Node {
        case implicitFolder, folder, file, link
        var isFolder: Bool { self == .implicitFolder || self == .folder }
    }

    private var nodes: [Substring: Node] = [:]

    /// Records an entry; throws when it repeats or conflicts with an earlier one.
    mutating func record(_ path: BundlePath, kind: ArchiveEntry.Kind, isHardLink: Bool = false) throws(ArchiveError) {
        let value = path.value[...]
        // Every ancestor must be (or become) a folder.
        var index = value.startIndex
        while let slash = value[index...].firstIndex(of: "/") {
            let ancestor = value[..<slash]
            switch nodes[ancestor] {
            case nil: nodes[ancestor] = .implicitFolder
            case .some(let node) where !node.isFolder:
                throw .fileUsedAsFolder(entry: path.value, folder: String(ancestor))
            default: break
            }
            index = value.index(after: slash)
        }
        let node: Node
        switch kind {
        case .directory: node = .folder
        case .file: node = .file
        case .link: node = isHardLink ? .file : .link
        }
        switch nodes[value] {
        case nil:
            nodes[value] = node
        case .implicitFolder where node == .folder:
            nodes[value] = .folder
        case .implicitFolder:
            throw .fileUsedAsFolder(entry: path.value, folder: path.value)
        default:
            throw .duplicate(entry: path.value)
        }
    }

    /// Whether `path` was recorded as a regular file (what a hard link may point to).
    func isFile(_ path: BundlePath) -> Bool {
        nodes[path.value[...]] == .file
    }
}
