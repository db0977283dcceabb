import Foundation

/// Edits fields of a zip that libarchive's writer will not produce (a FIFO mode, an invalid name
/// flagged UTF-8), as a hostile tool could: hostile zips are built in the test, not stored.
struct ZipPatcher {
    var bytes: [UInt8]

    init(path: String) throws { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    func write(to path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// Sets the Unix mode (type and permissions) of every central directory entry.
    mutating func setUnixMode(_ mode: UInt32) {
        for header in centralHeaders() {
            store16(header + 4, 3 << 8 | 20)  // made by: Unix
            store32(header + 38, mode << 16)
        }
    }

    /// Sets the UTF-8 name flag (bit 11) in every local and central header.
    mutating func flagNamesUTF8() {
        for header in centralHeaders() {
            store16(header + 8, load16(header + 8) | 0x800)
            let local = Int(load32(header + 42))
            store16(local + 6, load16(local + 6) | 0x800)
        }
    }

    private func centralHeaders() -> [Int] {
        // End of central directory: the last "PK\u{5}\u{6}".
        guard let end = (0...(bytes.count - 22)).reversed().first(where: { load32($0) == 0x0605_4b50 }) else { return [] }
        var offset = Int(load32(end + 16))
        var headers: [Int] = []
        while offset + 46 <= bytes.count, load32(offset) == 0x0201_4b50 {
            headers.append(offset)
            offset += 46 + Int(load16(offset + 28)) + Int(load16(offset + 30)) + Int(load16(offset + 32))
        }
        return headers
    }

    private func load16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    private func load32(_ at: Int) -> UInt32 { UInt32(load16(at)) | UInt32(load16(at + 2)) << 16 }
    private mutating func store16(_ at: Int, _ value: UInt16) {
        bytes[at] = UInt8(value & 0xff)
        bytes[at + 1] = UInt8(value >> 8)
    }
    private mutating func store32(_ at: Int, _ value: UInt32) {
        store16(at, UInt16(value & 0xffff))
        store16(at + 2, UInt16(value >> 16))
    }
}
