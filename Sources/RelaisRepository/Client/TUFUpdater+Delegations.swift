import RelaisCore

/// A role the target search still has to visit: its name, and who delegated it with which keys.
struct PendingRole {
    let name: String
    let delegator: String
    let keyIDs: [String]
    let threshold: Int
    let keys: [String: TUFKey]
}

extension TUFUpdater {
    /// The target `name` as the most trusted role that lists it says (TUF 1.0 §5.6.7): top-level
    /// targets first, then a preorder depth-first search of the delegations, each delegating
    /// role's children in the order it lists them, only those trusted for `name` (`paths`,
    /// `path_hash_prefixes`, or the one succinct bin of `name`). A terminating role that is
    /// trusted for `name` ends the search after its own subtree; a role already visited is skipped
    /// (cycles); at most `limits.maxDelegations` roles past the top-level one are visited.
    /// Each delegated role is fetched only when the search reaches it. Nil: no trusted role lists it.
    public func findTarget(_ name: String) async throws -> TargetsMetadata.Target? {
        guard let top = trustedTargets else { return nil }
        if let found = top.targets[name] { return found }
        if let found = resolved[name] { return found }
        var toVisit: [PendingRole] = []
        var visited: Set<String> = ["targets"]
        func push(childrenOf role: String, _ metadata: TargetsMetadata) {
            guard let delegations = metadata.delegations else { return }
            var children: [PendingRole] = []
            for child in delegations.roles(for: name) {
                children.append(PendingRole(name: child.name, delegator: role, keyIDs: child.keyIDs, threshold: child.threshold, keys: delegations.keys))
                if child.terminating {
                    toVisit = []
                    break
                }
            }
            toVisit.append(contentsOf: children.reversed())
        }
        push(childrenOf: "targets", top)
        while visited.count <= limits.maxDelegations, let next = toVisit.popLast() {
            if visited.contains(next.name) { continue }
            let metadata = try await delegatedRole(next)
            if let found = metadata.targets[name] {
                resolved[name] = found
                return found
            }
            visited.insert(next.name)
            push(childrenOf: next.name, metadata)
        }
        return nil
    }

    /// Every target path some trusted role lists, visiting every
    /// delegated role reachable from top-level targets (every bin of a succinct delegation), each
    /// once (no bound: every bin is read, where a box reads one per target). For a repository check
    /// (`relais repo verify`), which then downloads each through `findTarget`, so a path listed by
    /// a role not trusted for it (or hidden deeper than a box searches) fails the check.
    public func allTargetPaths() async throws -> [String] {
        guard let top = trustedTargets else { return [] }
        var paths = Set(top.targets.keys)
        var visited: Set<String> = ["targets"]
        var toVisit: [PendingRole] = []
        func push(childrenOf role: String, _ metadata: TargetsMetadata) {
            guard let delegations = metadata.delegations else { return }
            let children = delegations.allRoles.map {
                PendingRole(name: $0.name, delegator: role, keyIDs: $0.keyIDs, threshold: $0.threshold, keys: delegations.keys)
            }
            toVisit.append(contentsOf: children.reversed())
        }
        push(childrenOf: "targets", top)
        while let next = toVisit.popLast() {
            if visited.contains(next.name) { continue }
            let metadata = try await delegatedRole(next)
            paths.formUnion(metadata.targets.keys)
            visited.insert(next.name)
            push(childrenOf: next.name, metadata)
        }
        return paths.sorted()
    }

    /// Loads delegated role `pending` (§5.6 applied to a delegated role): the cached copy when it
    /// still verifies against the delegator's keys and threshold and is the version (and length and
    /// hashes, when given) snapshot lists, unexpired; else the listed version is downloaded
    /// (`VERSION.NAME.json`, NAME URL-quoted by the transport), bounded by the listed length,
    /// checked against snapshot's length and hashes, the delegator's keys and threshold, the listed
    /// version, no rollback from the cached copy, and expiry, then cached as `NAME.json`
    /// (URL-quoted, so a role name is never a path).
    func delegatedRole(_ pending: PendingRole) async throws -> TargetsMetadata {
        let key = "\(pending.delegator)\u{0}\(pending.name)"
        if let loaded = loadedRoles[key] { return loaded }
        guard let snapshot = trustedSnapshot else { throw TUFError.unknownTarget(pending.name) }
        let file = "\(pending.name).json"
        guard let meta = snapshot.meta[file] else { throw TUFError.missingMeta(file: file, listedBy: "snapshot") }
        let local = "\(TUFUpdater.quoted(pending.name)).json"
        let cachedBytes = try directory.contents(of: local)
        let trusted = cachedBytes.flatMap { try? verifiedDelegated($0, pending) }
        if let trusted, let cachedBytes, trusted.header.version == meta.version, meta.matches(cachedBytes), !trusted.header.isExpired(now: now) {
            loadedRoles[key] = trusted
            return trusted
        }
        let remote = trustedRoot.root.consistentSnapshot ? "\(meta.version).\(file)" : file
        let bytes = try await transport.metadata(remote, maxLength: meta.length ?? limits.targetsMaxLength)
        try meta.check(bytes, file: remote)
        let new = try verifiedDelegated(bytes, pending)
        if new.header.version != meta.version {
            throw TUFError.versionMismatch(role: pending.name, got: new.header.version, listed: meta.version, listedBy: "snapshot")
        }
        if let trusted, new.header.version < trusted.header.version {
            throw TUFError.rollback(role: pending.name, trusted: trusted.header.version, got: new.header.version)
        }
        if new.header.isExpired(now: now) { throw TUFError.expired(role: pending.name, expires: new.header.expires) }
        try directory.replace(local, with: bytes)
        fetchedRoles.append(pending.name)
        loadedRoles[key] = new
        return new
    }

    /// Parses `bytes` as targets metadata signed by a threshold of the delegator's keys for it.
    func verifiedDelegated(_ bytes: [UInt8], _ pending: PendingRole) throws(TUFError) -> TargetsMetadata {
        let metadata = try SignedMetadata(bytes: bytes)
        let role = try TargetsMetadata(metadata.signed)
        try metadata.verify(role: pending.name, keyIDs: pending.keyIDs, threshold: pending.threshold, keys: pending.keys)
        return role
    }

    /// A role name as one URL path segment or file name, as python's `urllib.parse.quote(name,
    /// safe="")` writes it: every byte but ASCII letters, digits and `-._~` percent-encoded, so
    /// `?` is `%3F` and `../x` is `..%2Fx`.
    public static func quoted(_ name: String) -> String {
        HTTPTransport.encoded(name, keepingSlashes: false)
    }
}
