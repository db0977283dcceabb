/// The `SHA256SUMS` file of a bundle: one `HASH  PATH` line per content file, as `sha256sum` writes
/// it, so `sha256sum -c SHA256SUMS` also checks an extracted bundle.
public struct DigestList: Sendable, Equatable {
    /// The file name at the bundle root.
    public static let fileName = "SHA256SUMS"

    /// Expected hash of each content file.
    public var entries: [BundlePath: ContentHash]

    public init(entries: [BundlePath: ContentHash] = [:]) { self.entries = entries }

    /// Parses the text; throws naming the first bad line.
    public init(parsing text: String) throws(DigestListError) {
        var entries: [BundlePath: ContentHash] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            // "HASH  PATH" (text mode) or "HASH *PATH" (binary mode).
            guard line.count > 66, let hash = ContentHash(hex: String(line.prefix(64))) else {
                throw .badLine(number + 1)
            }
            let rest = line.dropFirst(64)
            guard rest.hasPrefix("  ") || rest.hasPrefix(" *") else { throw .badLine(number + 1) }
            let path: BundlePath
            do { path = try BundlePath(String(rest.dropFirst(2))) } catch { throw .badPath(number + 1, error) }
            guard entries[path] == nil else { throw .duplicate(path.value) }
            entries[path] = hash
        }
        self.entries = entries
    }

    /// The text, sorted by path so two packs of the same tree are byte-identical.
    public func rendered() -> String {
        entries.sorted { $0.key < $1.key }.map { "\($0.value.hex)  \($0.key.value)\n" }.joined()
    }
}

/// Why a `SHA256SUMS` file was refused.
public enum DigestListError: Error, Equatable, CustomStringConvertible {
    case badLine(Int)
    case badPath(Int, BundlePathError)
    case duplicate(String)

    public var description: String {
        switch self {
        case .badLine(let n): return "SHA256SUMS line \(n) is not « HASH  PATH »; re-pack the bundle with `relais bundle pack`"
        case .badPath(let n, let e): return "SHA256SUMS line \(n): \(e)"
        case .duplicate(let p): return "SHA256SUMS lists « \(p) » twice; re-pack the bundle with `relais bundle pack`"
        }
    }
}
