import RelaisCore

/// `meta` entries of timestamp and snapshot: the version (and optionally length and hashes) of
/// the file they vouch for.
public struct MetaFile: Equatable, Sendable {
    public let version: Int64
    public let length: Int64?
    public let hashes: [String: String]

    init(_ json: JSONValue, name: String) throws(TUFError) {
        guard case .integer(let version)? = json["version"], version >= 1 else { throw .malformed("meta \(name) lacks a version") }
        self.version = version
        if case .integer(let length)? = json["length"] { self.length = length } else { self.length = nil }
        var hashes: [String: String] = [:]
        if case .object(let list)? = json["hashes"] {
            for (algorithm, value) in list {
                guard case .string(let hex) = value else { throw .malformed("meta \(name) has a hash that is not a string") }
                hashes[algorithm] = hex
            }
        }
        self.hashes = hashes
    }

    static func list(_ json: JSONValue?) throws(TUFError) -> [String: MetaFile] {
        guard case .object(let entries)? = json else { throw .malformed("`meta` is missing") }
        var files: [String: MetaFile] = [:]
        for (name, entry) in entries { files[name] = try MetaFile(entry, name: name) }
        return files
    }
}

/// timestamp.json's `signed`: which snapshot is current.
public struct TimestampMetadata: Sendable {
    public let header: MetadataHeader
    public let snapshot: MetaFile

    public init(_ signed: JSONValue) throws(TUFError) {
        header = try MetadataHeader(signed, type: "timestamp")
        guard let snapshot = try MetaFile.list(signed["meta"])["snapshot.json"] else {
            throw .malformed("timestamp does not name snapshot.json")
        }
        self.snapshot = snapshot
    }
}

/// snapshot.json's `signed`: the version of every targets metadata file.
public struct SnapshotMetadata: Sendable {
    public let header: MetadataHeader
    public let meta: [String: MetaFile]

    public init(_ signed: JSONValue) throws(TUFError) {
        header = try MetadataHeader(signed, type: "snapshot")
        meta = try MetaFile.list(signed["meta"])
    }
}

/// A targets role's `signed` (top-level targets.json or a delegated role): every target file with
/// its length, hashes and custom fields, and the roles it delegates to.
public struct TargetsMetadata: Sendable {
    /// One target: what its bytes must be, and the publisher's custom metadata.
    public struct Target: Equatable, Sendable {
        public let length: Int64
        public let hashes: [String: String]
        public let custom: JSONValue?
    }

    public let header: MetadataHeader
    public let targets: [String: Target]
    public let delegations: Delegations?

    public init(_ signed: JSONValue) throws(TUFError) {
        header = try MetadataHeader(signed, type: "targets")
        guard case .object(let entries)? = signed["targets"] else { throw .malformed("targets lacks `targets`") }
        var targets: [String: Target] = [:]
        for (path, entry) in entries {
            guard case .integer(let length)? = entry["length"], length >= 0, case .object(let list)? = entry["hashes"], !list.isEmpty else {
                throw .malformed("target \(path) lacks a length or hashes")
            }
            var hashes: [String: String] = [:]
            for (algorithm, value) in list {
                guard case .string(let hex) = value else { throw .malformed("target \(path) has a hash that is not a string") }
                hashes[algorithm] = hex
            }
            targets[path] = Target(length: length, hashes: hashes, custom: entry["custom"])
        }
        self.targets = targets
        if let json = signed["delegations"] { delegations = try Delegations(json) } else { delegations = nil }
    }
}
