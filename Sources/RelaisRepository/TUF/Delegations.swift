import Crypto
import RelaisCore

/// `delegations` of a targets role (TUF 1.0 §4.5): the keys it trusts for other roles, and either
/// an ordered list of delegated roles or a succinct hash-bin delegation (TAP 15, python-tuf's
/// `SuccinctRoles`).
public struct Delegations: Sendable {
    public enum Roles: Sendable {
        /// Roles in the order they are trusted (the search visits them in this order).
        case list([DelegatedRole])
        case succinct(SuccinctRoles)
    }

    public let keys: [String: TUFKey]
    public let roles: Roles

    /// The names a delegation may not use: the top-level roles.
    static let topLevelNames: Set<String> = ["root", "targets", "snapshot", "timestamp"]

    init(_ json: JSONValue) throws(TUFError) {
        guard case .object(let keyObjects)? = json["keys"] else { throw .malformed("delegations lack `keys`") }
        var keys: [String: TUFKey] = [:]
        for (keyID, object) in keyObjects {
            let key = try TUFKey(object)
            guard key.keyID == keyID else {
                throw .malformed("delegated keyid \(keyID.prefix(12))… is not the SHA-256 of its key object (canonical JSON, every field included)")
            }
            keys[keyID] = key
        }
        self.keys = keys
        switch (json["roles"], json["succinct_roles"]) {
        case (.array(let list)?, nil):
            var roles: [DelegatedRole] = []
            var names = Set<String>()
            for entry in list {
                let role = try DelegatedRole(entry)
                guard names.insert(role.name).inserted else { throw .malformed("delegated role `\(role.name)` is listed twice") }
                roles.append(role)
            }
            self.roles = .list(roles)
        case (nil, .object?):
            self.roles = .succinct(try SuccinctRoles(json["succinct_roles"] ?? .null))
        default:
            throw .malformed("delegations must have exactly one of `roles` (a list) and `succinct_roles`")
        }
    }

    /// The roles trusted for `targetPath`, in search order, each with the keys and threshold that
    /// must sign it and whether the search stops with it (python-tuf's `get_roles_for_target`).
    public func roles(for targetPath: String) -> [(name: String, keyIDs: [String], threshold: Int, terminating: Bool)] {
        switch roles {
        case .list(let list):
            return list.filter { $0.isDelegated(targetPath) }.map { ($0.name, $0.keyIDs, $0.threshold, $0.terminating) }
        case .succinct(let bins):
            return [(bins.binName(for: targetPath), bins.keyIDs, bins.threshold, true)]
        }
    }

    /// Every role this delegation names (every bin of a succinct delegation), in order.
    public var allRoles: [(name: String, keyIDs: [String], threshold: Int)] {
        switch roles {
        case .list(let list): return list.map { ($0.name, $0.keyIDs, $0.threshold) }
        case .succinct(let bins): return bins.binNames.map { ($0, bins.keyIDs, bins.threshold) }
        }
    }
}

/// One entry of `delegations.roles`: a role trusted for the target paths matching `paths`
/// (shell-style patterns, one path segment each) or whose SHA-256 starts with one of
/// `pathHashPrefixes`.
public struct DelegatedRole: Sendable, Equatable {
    public let name: String
    public let keyIDs: [String]
    public let threshold: Int
    public let terminating: Bool
    public let paths: [String]?
    public let pathHashPrefixes: [String]?

    init(_ json: JSONValue) throws(TUFError) {
        guard case .string(let name)? = json["name"], !name.isEmpty else { throw .malformed("a delegated role lacks a name") }
        guard !Delegations.topLevelNames.contains(name) else { throw .malformed("a delegated role may not be named `\(name)` (a top-level role)") }
        let (keyIDs, threshold) = try roleKeys(json, name: name)
        guard case .bool(let terminating)? = json["terminating"] else { throw .malformed("delegated role `\(name)` lacks `terminating`") }
        let paths = try strings(json["paths"], field: "paths", role: name)
        let prefixes = try strings(json["path_hash_prefixes"], field: "path_hash_prefixes", role: name)
        guard (paths == nil) != (prefixes == nil) else {
            throw .malformed("delegated role `\(name)` must have exactly one of `paths` and `path_hash_prefixes`")
        }
        self.name = name
        self.keyIDs = keyIDs
        self.threshold = threshold
        self.terminating = terminating
        self.paths = paths
        self.pathHashPrefixes = prefixes
    }

    /// Whether this role is trusted for `targetPath` (§4.5).
    public func isDelegated(_ targetPath: String) -> Bool {
        if let pathHashPrefixes {
            let digest = ContentHash(digest: SHA256.hash(data: Array(targetPath.utf8))).hex
            return pathHashPrefixes.contains { digest.hasPrefix($0) }
        }
        return (paths ?? []).contains { PathPattern.matches(targetPath, pattern: $0) }
    }
}

/// `delegations.succinct_roles`: 2^bitLength bins `PREFIX-HEX` (hex zero-padded to the width of the
/// last bin's number), a target going to the bin numbered by the first bitLength bits of the
/// SHA-256 of its path. Every bin is signed by the same keys and is terminating.
public struct SuccinctRoles: Sendable, Equatable {
    public let keyIDs: [String]
    public let threshold: Int
    public let bitLength: Int
    public let namePrefix: String

    public init(keyIDs: [String], threshold: Int, bitLength: Int, namePrefix: String) {
        self.keyIDs = keyIDs
        self.threshold = threshold
        self.bitLength = bitLength
        self.namePrefix = namePrefix
    }

    init(_ json: JSONValue) throws(TUFError) {
        let (keyIDs, threshold) = try roleKeys(json, name: "succinct_roles")
        guard case .integer(let bits)? = json["bit_length"], (1...32).contains(bits) else {
            throw .malformed("succinct_roles `bit_length` must be an integer from 1 to 32")
        }
        guard case .string(let prefix)? = json["name_prefix"] else { throw .malformed("succinct_roles lacks `name_prefix`") }
        self.init(keyIDs: keyIDs, threshold: threshold, bitLength: Int(bits), namePrefix: prefix)
    }

    public var binCount: Int { 1 << bitLength }

    /// Hex digits of a bin's number: those of the last bin, binCount - 1.
    var suffixWidth: Int { String(binCount - 1, radix: 16).count }

    public func binName(number: Int) -> String {
        let hex = String(number, radix: 16)
        return "\(namePrefix)-\(String(repeating: "0", count: max(0, suffixWidth - hex.count)))\(hex)"
    }

    /// The bin of `targetPath`: the first `bitLength` bits of SHA-256(path), big-endian.
    public func binName(for targetPath: String) -> String {
        let digest = Array(SHA256.hash(data: Array(targetPath.utf8)))
        let first32 = digest[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return binName(number: Int(first32 >> UInt32(32 - bitLength)))
    }

    public var binNames: [String] { (0..<binCount).map { binName(number: $0) } }
}

/// `keyids` (strings) and `threshold` (≥ 1) of a delegated role.
private func roleKeys(_ json: JSONValue, name: String) throws(TUFError) -> ([String], Int) {
    guard case .array(let ids)? = json["keyids"], case .integer(let threshold)? = json["threshold"], threshold >= 1 else {
        throw .malformed("delegated role `\(name)` lacks keyids or a threshold ≥ 1")
    }
    var keyIDs: [String] = []
    for id in ids {
        guard case .string(let keyID) = id else { throw .malformed("delegated role `\(name)` has a keyid that is not a string") }
        keyIDs.append(keyID)
    }
    return (keyIDs, Int(threshold))
}

private func strings(_ json: JSONValue?, field: String, role: String) throws(TUFError) -> [String]? {
    guard let json else { return nil }
    guard case .array(let list) = json else { throw .malformed("delegated role `\(role)` has a `\(field)` that is not a list") }
    var out: [String] = []
    for item in list {
        guard case .string(let text) = item else { throw .malformed("delegated role `\(role)` has a `\(field)` entry that is not a string") }
        out.append(text)
    }
    return out
}

/// TUF's path patterns (§4.5 `paths`): the pattern and the target path are split at `/` and must
/// have as many segments; each segment matches fnmatch-style, case-sensitive: `*` any run of
/// characters and `?` any one character, neither crossing `/`; `[seq]` and `[!seq]` a character
/// in (or not in) a set with `a-z` ranges; anything else itself.
enum PathPattern {
    static func matches(_ path: String, pattern: String) -> Bool {
        let targetParts = path.split(separator: "/", omittingEmptySubsequences: false)
        let patternParts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        guard targetParts.count == patternParts.count else { return false }
        return zip(targetParts, patternParts).allSatisfy { segment($0.0.unicodeScalars.map { $0 }, $0.1.unicodeScalars.map { $0 }) }
    }

    /// One segment, by backtracking on the last `*` (linear in practice, never exponential).
    static func segment(_ text: [Unicode.Scalar], _ pattern: [Unicode.Scalar]) -> Bool {
        var t = 0
        var p = 0
        var star: (pattern: Int, text: Int)?
        while t < text.count {
            if p < pattern.count {
                switch pattern[p] {
                case "*":
                    star = (p, t)
                    p += 1
                    continue
                case "?":
                    p += 1
                    t += 1
                    continue
                case "[":
                    if let (matched, next) = bracket(pattern, at: p, text[t]) {
                        if matched {
                            p = next
                            t += 1
                            continue
                        }
                    } else if text[t] == "[" {
                        // An unclosed `[` is a literal, as in fnmatch.
                        p += 1
                        t += 1
                        continue
                    }
                default:
                    if pattern[p] == text[t] {
                        p += 1
                        t += 1
                        continue
                    }
                }
            }
            guard let last = star else { return false }
            p = last.pattern + 1
            t = last.text + 1
            star = (last.pattern, last.text + 1)
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// `[...]` at `start`: whether `c` is in the set, and the index after `]`; nil when unclosed.
    static func bracket(_ pattern: [Unicode.Scalar], at start: Int, _ c: Unicode.Scalar) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < pattern.count, pattern[i] == "!" {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < pattern.count {
            if pattern[i] == "]" && !first { return (matched != negate, i + 1) }
            first = false
            if i + 2 < pattern.count, pattern[i + 1] == "-", pattern[i + 2] != "]" {
                if pattern[i].value <= c.value && c.value <= pattern[i + 2].value { matched = true }
                i += 3
            } else {
                if pattern[i] == c { matched = true }
                i += 1
            }
        }
        return nil
    }
}
