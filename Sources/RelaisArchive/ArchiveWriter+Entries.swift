import CArchive

extension ArchiveWriter {
    /// The entry types `addRawEntry` can write, hostile ones included.
    public enum RawType: Sendable, CaseIterable {
        case file, directory, symlink, hardlink, characterDevice, blockDevice, fifo, socket

        var fileType: UInt32 {
            switch self {
            case .file, .hardlink: return relais_AE_IFREG
            case .directory: return relais_AE_IFDIR
            case .symlink: return relais_AE_IFLNK
            case .characterDevice: return relais_AE_IFCHR
            case .blockDevice: return relais_AE_IFBLK
            case .fifo: return relais_AE_IFIFO
            case .socket: return relais_AE_IFSOCK
            }
        }
    }

    /// For tests building hostile archives: any name bytes, type, mode, link target.
    public func addRawEntry(
        nameBytes: [UInt8], type: RawType, mode: Int32, linkTarget: String? = nil, contents: [UInt8] = []
    ) throws {
        if format == .zip, type == .hardlink {
            // libarchive would silently store a plain file: say the format cannot carry it.
            throw ArchiveError.writeFailed(path: path, reason: "zip cannot hold hard links")
        }
        // Hard links carry no bytes of their own.
        let size = type == .file ? Int64(contents.count) : 0
        try header(
            nameBytes, type: type.fileType, mode: mode, size: size,
            symlink: type == .symlink ? linkTarget : nil, hardlink: type == .hardlink ? linkTarget : nil)
        if size > 0 { try contents.withUnsafeBytes { try data($0) } }
    }

    /// Writes one entry header; a header libarchive could not write leaves the archive usable, a
    /// fatal error breaks it.
    func header(
        _ name: [UInt8], type: UInt32, mode: Int32, size: Int64, symlink: String? = nil, hardlink: String? = nil
    ) throws {
        if let broken { throw broken }
        guard !isClosed else { throw ArchiveError.writeFailed(path: path, reason: "the archive is already closed") }
        archive_entry_clear(entry)
        (name + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { archive_entry_copy_pathname(entry, $0.baseAddress) }
        }
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, mode_t(mode))
        archive_entry_set_size(entry, size)
        archive_entry_set_mtime(entry, ArchiveWriter.fixedModificationTime, 0)
        if type == relais_AE_IFCHR || type == relais_AE_IFBLK {
            archive_entry_set_rdevmajor(entry, 1)
            archive_entry_set_rdevminor(entry, 3)
        }
        if let symlink { archive_entry_copy_symlink(entry, symlink) }
        if let hardlink { archive_entry_copy_hardlink(entry, hardlink) }
        // A name that is not UTF-8 is written as raw bytes, as old zip tools do (in the UTF-8 locale
        // libarchive would flag it UTF-8, which no real zip does).
        let locale = String(validating: name, as: UTF8.self) == nil ? LibArchive.posixLocale : LibArchive.utf8Locale
        let status = LibArchive.with(locale) { archive_write_header(archive, entry) }
        guard status >= ARCHIVE_WARN else {
            let error = ArchiveError.writeFailed(path: path, reason: "entry « \(String(decoding: name, as: UTF8.self)) »: \(LibArchive.errorString(archive))")
            if status == ARCHIVE_FATAL { broken = error }
            throw error
        }
    }

    /// Writes a block of the current entry's bytes.
    func data(_ block: UnsafeRawBufferPointer) throws {
        guard var next = block.baseAddress else { return }
        var left = block.count
        while left > 0 {
            let written = archive_write_data(archive, next, left)
            guard written > 0 else {
                let error = ArchiveError.writeFailed(path: path, reason: LibArchive.errorString(archive))
                broken = error
                throw error
            }
            next += written
            left -= written
        }
    }
}
