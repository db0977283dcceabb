import CArchive
import RelaisCore

extension ArchiveReader {
    /// Turns a libarchive header into a checked entry, or refuses it naming the entry; nil for the
    /// root folder itself ("." or "./"). Runs before any of the entry's bytes are read.
    func check(_ header: OpaquePointer) throws(ArchiveError) -> ArchiveEntry? {
        entryCount += 1
        // Tar stores names as raw bytes and libarchive hands them over unchanged; a zip name flagged
        // UTF-8 that is not comes back NULL.
        guard let raw = LibArchive.bytes(archive_entry_pathname(header)) else {
            throw .undecodableName(index: entryCount, after: lastPath?.value)
        }
        guard entryCount <= limits.maxEntries else {
            throw .tooManyEntries(entry: String(decoding: raw, as: UTF8.self), limit: limits.maxEntries)
        }
        let path: BundlePath
        do { path = try BundlePath(entryName: raw) } catch {
            if case .empty = error, UInt32(archive_entry_filetype(header)) == relais_AE_IFDIR { return nil }
            throw .unsafeName(error)
        }

        let mode = UInt32(archive_entry_mode(header))
        if mode & relais_S_ISUID != 0 { throw .privilegedMode(entry: path.value, bit: "setuid") }
        if mode & relais_S_ISGID != 0 { throw .privilegedMode(entry: path.value, bit: "setgid") }
        let permissions = Int32(mode & 0o777)

        let kind: ArchiveEntry.Kind
        var isHardLink = false
        if let hardLink = LibArchive.bytes(archive_entry_hardlink(header)) {
            // Hard link targets name an earlier entry, from the archive root.
            let text = String(decoding: hardLink, as: UTF8.self)
            guard let target = Self.rootRelative(hardLink) else { throw .linkEscapes(entry: path.value, target: text) }
            guard ledger.isFile(target) else { throw .hardLinkTargetMissing(entry: path.value, target: text) }
            kind = .link(to: target)
            isHardLink = true
        } else {
            let type = UInt32(archive_entry_filetype(header))
            if let special = LibArchive.specialTypeName(type) { throw .specialFile(entry: path.value, type: special) }
            switch type {
            case relais_AE_IFDIR:
                kind = .directory
            case relais_AE_IFLNK:
                let bytes = LibArchive.bytes(archive_entry_symlink(header)) ?? []
                // Symlink targets are relative to the link's folder; an absolute one is outside.
                guard let text = String(validating: bytes, as: UTF8.self), let target = path.resolvingLink(text) else {
                    throw .linkEscapes(entry: path.value, target: String(decoding: bytes, as: UTF8.self))
                }
                kind = .link(to: target)
            default:
                kind = .file
            }
        }

        var size: Int64?
        if kind == .file, archive_entry_size_is_set(header) != 0 {
            let declared = max(archive_entry_size(header), 0)
            size = declared
            // Refuse a too large archive on its headers, before inflating a byte of it.
            declaredBytes += declared
            if declaredBytes > limits.maxTotalBytes { throw .tooLarge(entry: path.value, limit: limits.maxTotalBytes) }
        }
        try ledger.record(path, kind: kind, isHardLink: isHardLink)
        lastPath = path
        return ArchiveEntry(path: path, kind: kind, size: size, permissions: permissions)
    }

    /// A hard link target as a bundle path; nil when it is absolute, has `..`, or is not UTF-8.
    static func rootRelative(_ bytes: [UInt8]) -> BundlePath? {
        try? BundlePath(entryName: bytes)
    }
}
