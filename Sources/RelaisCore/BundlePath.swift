/// A path inside a bundle: relative, '/'-separated, valid UTF-8, no empty, "." or ".." segment.
///
/// Archive entry names become `BundlePath`s before anything is written, so an entry that could
/// escape the bundle (absolute, `..`, NUL) never reaches the file system.
public struct BundlePath: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The normalised form, e.g. "js/app.js" (no leading "./", no trailing "/").
    public let value: String

    /// Normalises an archive entry name; throws naming the entry when it is unsafe.
    public init(entryName raw: [UInt8]) throws(BundlePathError) {
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw .notUTF8(String(decoding: raw, as: UTF8.self))
        }
        try self.init(text)
    }

    /// Normalises a textual path (leading "./" and a trailing "/" are dropped).
    ///
    /// Works on UTF-8 bytes: it runs for every archive entry and every SHA256SUMS line.
    public init(_ text: String) throws(BundlePathError) {
        let bytes = text.utf8
        if bytes.count > 1024 { throw .tooLong(text) }
        if bytes.first == UInt8(ascii: "/") || bytes.first == UInt8(ascii: "\\") { throw .absolute(text) }
        var kept: [Substring.UTF8View] = []
        var normalised = true
        for segment in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if segment.isEmpty || (segment.count == 1 && segment.first == UInt8(ascii: ".")) {
                normalised = false
                continue
            }
            if segment.count == 2, segment.first == UInt8(ascii: "."), segment.last == UInt8(ascii: ".") {
                throw .parentSegment(text)
            }
            for byte in segment {
                if byte < 0x20 || byte == 0x7f { throw .controlCharacter(text) }
                if byte == UInt8(ascii: "\\") { throw .backslash(text) }
            }
            if kept.isEmpty, segment.count == 2, segment.last == UInt8(ascii: ":") { throw .absolute(text) }
            kept.append(segment)
        }
        guard !kept.isEmpty else { throw .empty(text) }
        value = normalised ? text : kept.map { String(Substring($0)) }.joined(separator: "/")
    }

    /// The path's segments.
    public var segments: [Substring] { value.split(separator: "/") }

    /// The folder holding this path ("" at the root).
    public var parent: String {
        guard let slash = value.lastIndex(of: "/") else { return "" }
        return String(value[..<slash])
    }

    /// The last segment's extension, lower-cased, without the dot ("" when none).
    public var fileExtension: String {
        let last = segments.last ?? ""
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return "" }
        return last[last.index(after: dot)...].lowercased()
    }

    /// Resolves a symlink target written relative to this path's folder; nil when it leaves the
    /// bundle (an absolute target always does).
    public func resolvingLink(_ target: String) -> BundlePath? {
        if target.hasPrefix("/") { return nil }
        var stack = parent.isEmpty ? [Substring]() : parent.split(separator: "/")
        for segment in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..":
                if stack.isEmpty { return nil }
                stack.removeLast()
            default: stack.append(segment)
            }
        }
        return try? BundlePath(stack.joined(separator: "/"))
    }

    public var description: String { value }
    public static func < (a: BundlePath, b: BundlePath) -> Bool { a.value < b.value }
}

/// Why an entry name was refused.
public enum BundlePathError: Error, Equatable, CustomStringConvertible {
    case notUTF8(String)
    case absolute(String)
    case parentSegment(String)
    case controlCharacter(String)
    case backslash(String)
    case empty(String)
    case tooLong(String)

    public var description: String {
        switch self {
        case .notUTF8(let p): return "entry name « \(p) » is not valid UTF-8"
        case .absolute(let p): return "entry « \(p) » has an absolute path"
        case .parentSegment(let p): return "entry « \(p) » has a '..' segment that leaves the bundle"
        case .controlCharacter(let p): return "entry « \(p) » has a control character in its name"
        case .backslash(let p): return "entry « \(p) » has a backslash in its name"
        case .empty(let p): return "entry « \(p) » has an empty name"
        case .tooLong(let p): return "entry « \(p.prefix(80))… » has a name over 1024 bytes"
        }
    }
}
