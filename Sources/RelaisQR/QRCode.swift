import CQRencode
import Foundation

/// QR codes drawn by libqrencode on the box, as self-contained SVG (no external service, nothing
/// fetched): for the hand-over sheet of a séance and the join code on the projector.
public enum QRCode {
    /// Why a text could not be made into a QR code.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Nothing to encode.
        case empty
        /// A NUL character: libqrencode reads C strings.
        case containsNul
        /// More than a QR code holds at level M (2,331 bytes at version 40).
        case tooLong(bytes: Int)
        /// libqrencode refused for another reason (its `errno`).
        case encoderFailed(errno: Int32)
        /// Module size below 1 or quiet zone below 0.
        case invalidGeometry

        public var description: String {
            switch self {
            case .empty: return "nothing to encode in the QR code"
            case .containsNul: return "the text holds a NUL character, which a QR code made by libqrencode cannot carry"
            case .tooLong(let bytes): return "\(bytes) bytes is more than a QR code holds at error correction level M (2,331)"
            case .encoderFailed(let code): return "libqrencode failed (errno \(code))"
            case .invalidGeometry: return "the module size must be 1 or more and the quiet zone 0 or more"
            }
        }
    }

    /// The most bytes of UTF-8 a version-40 QR code holds at level M in 8-bit mode.
    public static let maxBytes = 2_331

    /// The dark modules of `text`'s QR code (error correction level M; libqrencode picks numeric,
    /// alphanumeric or 8-bit mode per segment, case kept), row by row: `matrix[y][x]`.
    public static func matrix(_ text: String) throws -> [[Bool]] {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw Failure.empty }
        guard !bytes.contains(0) else { throw Failure.containsNul }
        guard bytes.count <= maxBytes else { throw Failure.tooLong(bytes: bytes.count) }
        errno = 0
        let encoded: UnsafeMutablePointer<QRcode>?
        if bytes.allSatisfy({ $0 < 0x80 }) {
            // ASCII: libqrencode splits it into numeric, alphanumeric and 8-bit segments.
            encoded = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)
        } else {
            // Beyond ASCII: an ECI header says UTF-8 (ECI 26), or readers guess Shift JIS or
            // Latin-1 for the 8-bit segment (« Séance » read back as « S矇ance »).
            encoded = try Self.encodeUTF8(bytes)
        }
        guard let code = encoded else {
            if errno == ERANGE { throw Failure.tooLong(bytes: bytes.count) }
            throw Failure.encoderFailed(errno: errno)
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let data = code.pointee.data!
        return (0..<width).map { y in (0..<width).map { x in data[y * width + x] & 1 == 1 } }
    }

    /// UTF-8 bytes behind an ECI 26 header, in one 8-bit segment, at level M.
    static func encodeUTF8(_ bytes: [UInt8]) throws -> UnsafeMutablePointer<QRcode>? {
        guard let input = QRinput_new2(0, QR_ECLEVEL_M) else { throw Failure.encoderFailed(errno: errno) }
        defer { QRinput_free(input) }
        guard QRinput_appendECIheader(input, 26) == 0, QRinput_append(input, QR_MODE_8, Int32(bytes.count), bytes) == 0 else {
            throw Failure.encoderFailed(errno: errno)
        }
        return QRcode_encodeInput(input)
    }

    /// `text` as an accessible, self-contained SVG: `role="img"` named by its `<title>`, a white
    /// background with a quiet zone of `quietZone` modules, and one black `<path>` holding every
    /// dark module, at integer coordinates (`moduleSize` units per module) so it stays sharp.
    public static func svg(_ text: String, moduleSize: Int = 8, quietZone: Int = 4, title: String) throws -> String {
        guard moduleSize >= 1, quietZone >= 0 else { throw Failure.invalidGeometry }
        let matrix = try matrix(text)
        let side = (matrix.count + 2 * quietZone) * moduleSize
        var path = ""
        for (y, row) in matrix.enumerated() {
            var x = 0
            while x < row.count {
                guard row[x] else { x += 1; continue }
                let start = x
                while x < row.count, row[x] { x += 1 }
                let run = (x - start) * moduleSize
                path += "M\((start + quietZone) * moduleSize) \((y + quietZone) * moduleSize)h\(run)v\(moduleSize)h-\(run)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 \(side) \(side)" width="\(side)" height="\(side)" \
            shape-rendering="crispEdges"><title>\(escape(title))</title>\
            <rect width="\(side)" height="\(side)" fill="#ffffff"/><path fill="#000000" d="\(path)"/></svg>
            """
    }

    /// Text for XML: `& < > " '` escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
