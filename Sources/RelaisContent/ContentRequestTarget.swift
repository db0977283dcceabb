import RelaisCore

/// Where a request-target points on the content origin: `/b/{id}/{version}/{path}`.
///
/// Pure, so every odd URL is tested without a socket. Segments are percent-decoded one at a time
/// and only then joined and checked by `BundlePath`, so `%2e%2e` is refused exactly like `..`.
enum ContentRequestTarget: Equatable, Sendable {
    /// A file (or, for a path ending in `/`, the `index.html` of that folder).
    case file(bundleID: String, version: String, path: BundlePath)
    /// Not a bundle URL at all, or one without a file path: 404.
    case notFound
    /// A `..` segment, bad percent-encoding, invalid UTF-8 or a control character: 400.
    case badRequest

    /// Classifies a request-target in origin-form (an absolute-form target is reduced to its path).
    init(uri: String) {
        var path = Substring(uri)
        if let mark = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<mark] }
        if path.hasPrefix("http://") || path.hasPrefix("https://") {
            let afterScheme = path[path.index(path.firstIndex(of: ":")!, offsetBy: 3)...]
            path = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? ""
        }
        guard path.hasPrefix("/b/") else {
            self = .notFound
            return
        }
        let parts = path.dropFirst(3).split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            self = .notFound
            return
        }
        guard let bundleID = Self.decode(parts[0]), let version = Self.decode(parts[1]) else {
            self = .badRequest
            return
        }
        if bundleID == ".." || version == ".." {
            self = .badRequest
            return
        }
        if bundleID.isEmpty || version.isEmpty || bundleID.contains("/") || version.contains("/") {
            self = .notFound
            return
        }
        let rest = parts[2]
        if rest.isEmpty {
            self = .notFound
            return
        }
        var decoded: [String] = []
        for segment in rest.split(separator: "/", omittingEmptySubsequences: false) {
            guard let text = Self.decode(segment) else {
                self = .badRequest
                return
            }
            // A decoded "/" would splice two segments together and dodge the ".." check.
            if text.contains("/") || text == ".." {
                self = .badRequest
                return
            }
            decoded.append(text)
        }
        // A folder URL serves that folder's index; the empty last segment is dropped by BundlePath.
        if rest.hasSuffix("/") { decoded.append("index.html") }
        do {
            self = .file(bundleID: bundleID, version: version, path: try BundlePath(decoded.joined(separator: "/")))
        } catch .empty {
            self = .notFound
        } catch {
            self = .badRequest
        }
    }

    /// Percent-decodes one segment; nil for a truncated or non-hex escape or bytes that are not UTF-8.
    static func decode(_ segment: Substring) -> String? {
        guard segment.utf8.contains(UInt8(ascii: "%")) else { return String(segment) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(segment.utf8.count)
        var iterator = segment.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
