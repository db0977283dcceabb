import Foundation
import RelaisRepository

/// Where a sync reads the signed repository from: an HTTP(S) base URL (any static server
/// holding `metadata/` and `targets/`) or a folder with the same layout (a USB stick).
public enum SyncSource: Sendable, Equatable, CustomStringConvertible {
    case http(String)
    case folder(String)

    /// Reads `repository.url` or an `import PATH` argument.
    public init(_ text: String) throws(SyncError) {
        let trimmed = text.hasSuffix("/") && text.count > 1 ? String(text.dropLast()) : text
        if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") {
            self = .http(trimmed)
            return
        }
        let path = trimmed.hasPrefix("file://") ? String(trimmed.dropFirst("file://".count)) : trimmed
        var isFolder: ObjCBool = false
        let metadata = URL(fileURLWithPath: path).appendingPathComponent("metadata").path
        guard FileManager.default.fileExists(atPath: metadata, isDirectory: &isFolder), isFolder.boolValue else {
            throw .notARepository(path)
        }
        self = .folder(URL(fileURLWithPath: path).standardizedFileURL.path)
    }

    public var description: String {
        switch self {
        case .http(let url): return url
        case .folder(let path): return path
        }
    }

    /// The transport that reads this source.
    func transport() -> any RepositoryTransport {
        switch self {
        case .http(let url): return HTTPTransport(metadataURL: url + "/metadata", targetsURL: url + "/targets")
        case .folder(let path): return FolderTransport(root: path)
        }
    }
}
