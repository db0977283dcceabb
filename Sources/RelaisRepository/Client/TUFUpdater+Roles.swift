import RelaisCore

/// A verified role file, and whether it was downloaded in this refresh or was the cached copy.
struct AcceptedRole<Role> {
    let role: Role
    let downloaded: Bool
}

extension TUFUpdater {
    /// 5.3: fetches N+1.root.json until the repository has none (404/403) or the rotation limit is
    /// reached. Each step must be signed by a threshold of the old and of the new root keys and
    /// carry exactly the next version (TrustedRoot.update); an intermediate root may have expired.
    /// Each accepted root is persisted at once, so a later failure keeps the progress.
    func updateRoot() async throws {
        for _ in 0..<limits.maxRootRotations {
            let name = "\(trustedRoot.root.version + 1).root.json"
            let bytes: [UInt8]
            do {
                bytes = try await transport.metadata(name, maxLength: limits.rootMaxLength)
            } catch .notFound {
                return
            }
            try trustedRoot.update(with: bytes)
            try directory.replace("root.json", with: bytes)
        }
    }

    /// 5.3.11: when the new root changed the timestamp or snapshot keys, the cached timestamp and
    /// snapshot are deleted, so versions an attacker pushed up with stolen keys (a fast-forward
    /// attack) no longer block the repository's recovered, lower versions.
    func forgetFastForwardedRoles(rotatedFrom before: RootMetadata) throws {
        let after = trustedRoot.root
        let rotated = ["timestamp", "snapshot"].contains { role in
            Set(before.roles[role]?.keyIDs ?? []) != Set(after.roles[role]?.keyIDs ?? [])
        }
        guard rotated else { return }
        try directory.remove("timestamp.json")
        try directory.remove("snapshot.json")
    }

    /// 5.4: the new timestamp must verify, not go back in version (equal: the trusted one is kept),
    /// not list an older snapshot, and be unexpired.
    func updateTimestamp() async throws -> TimestampMetadata {
        let trusted = try cached("timestamp.json", as: "timestamp", TimestampMetadata.init)
        let bytes = try await transport.metadata("timestamp.json", maxLength: limits.timestampMaxLength)
        let new = try verified(bytes, as: "timestamp", TimestampMetadata.init)
        var accepted = new
        if let trusted {
            if new.header.version < trusted.header.version {
                throw TUFError.rollback(role: "timestamp", trusted: trusted.header.version, got: new.header.version)
            }
            if new.header.version == trusted.header.version {
                accepted = trusted
            } else if new.snapshot.version < trusted.snapshot.version {
                throw TUFError.metaRollback(
                    file: "snapshot.json", listedBy: "timestamp", trusted: trusted.snapshot.version, got: new.snapshot.version)
            }
        }
        if accepted.header.isExpired(now: now) { throw TUFError.expired(role: "timestamp", expires: accepted.header.expires) }
        if accepted.header.version != trusted?.header.version { try directory.replace("timestamp.json", with: bytes) }
        return accepted
    }

    /// 5.5: the cached snapshot is used as is when it is the one the timestamp lists (version, and
    /// length and hashes when given) and unexpired; otherwise the listed one is downloaded and must
    /// match the timestamp's length and hashes, verify, carry the listed version, keep every
    /// targets file the trusted snapshot listed at no older version, and be unexpired.
    func updateSnapshot(listedBy timestamp: TimestampMetadata) async throws -> AcceptedRole<SnapshotMetadata> {
        let meta = timestamp.snapshot
        let cachedBytes = try directory.contents(of: "snapshot.json")
        let trusted = cachedBytes.flatMap { try? verified($0, as: "snapshot", SnapshotMetadata.init) }
        if let trusted, let cachedBytes, trusted.header.version == meta.version, meta.matches(cachedBytes),
            !trusted.header.isExpired(now: now)
        {
            return AcceptedRole(role: trusted, downloaded: false)
        }
        let (new, bytes) = try await fetchListed(
            "snapshot", meta: meta, listedBy: "timestamp", maxLength: limits.snapshotMaxLength, SnapshotMetadata.init, header: \.header)
        if let trusted {
            for (file, old) in trusted.meta.sorted(by: { $0.key < $1.key }) {
                guard let current = new.meta[file] else { throw TUFError.metaRemoved(file: file, listedBy: "snapshot") }
                if current.version < old.version {
                    throw TUFError.metaRollback(file: file, listedBy: "snapshot", trusted: old.version, got: current.version)
                }
            }
        }
        if new.header.isExpired(now: now) { throw TUFError.expired(role: "snapshot", expires: new.header.expires) }
        try directory.replace("snapshot.json", with: bytes)
        return AcceptedRole(role: new, downloaded: true)
    }

    /// 5.6: top-level targets, the same way against the snapshot's entry for targets.json.
    func updateTargets(listedBy snapshot: SnapshotMetadata) async throws -> AcceptedRole<TargetsMetadata> {
        guard let meta = snapshot.meta["targets.json"] else { throw TUFError.missingMeta(file: "targets.json", listedBy: "snapshot") }
        if let cachedBytes = try directory.contents(of: "targets.json"), meta.matches(cachedBytes),
            let trusted = try? verified(cachedBytes, as: "targets", TargetsMetadata.init),
            trusted.header.version == meta.version, !trusted.header.isExpired(now: now)
        {
            return AcceptedRole(role: trusted, downloaded: false)
        }
        let (new, bytes) = try await fetchListed(
            "targets", meta: meta, listedBy: "snapshot", maxLength: limits.targetsMaxLength, TargetsMetadata.init, header: \.header)
        if new.header.isExpired(now: now) { throw TUFError.expired(role: "targets", expires: new.header.expires) }
        try directory.replace("targets.json", with: bytes)
        return AcceptedRole(role: new, downloaded: true)
    }

    /// Downloads the version of `role` that `meta` lists (`N.role.json` with consistent snapshots),
    /// read no further than the listed length (else `maxLength`), and checks it against the
    /// listing (length, hashes), its signatures and the listed version (mix-and-match).
    func fetchListed<Role>(
        _ role: String, meta: MetaFile, listedBy: String, maxLength: Int64,
        _ parse: (JSONValue) throws(TUFError) -> Role, header: KeyPath<Role, MetadataHeader>
    ) async throws -> (Role, [UInt8]) {
        let name = trustedRoot.root.consistentSnapshot ? "\(meta.version).\(role).json" : "\(role).json"
        let bytes = try await transport.metadata(name, maxLength: meta.length ?? maxLength)
        try meta.check(bytes, file: name)
        let new = try verified(bytes, as: role, parse)
        let version = new[keyPath: header].version
        if version != meta.version {
            throw TUFError.versionMismatch(role: role, got: version, listed: meta.version, listedBy: listedBy)
        }
        return (new, bytes)
    }

    /// Parses `bytes` as role `name` and checks it is signed by the trusted root's threshold for it.
    func verified<Role>(_ bytes: [UInt8], as name: String, _ parse: (JSONValue) throws(TUFError) -> Role) throws(TUFError) -> Role {
        let metadata = try SignedMetadata(bytes: bytes)
        let role = try parse(metadata.signed)
        try trustedRoot.root.verify(metadata, as: name)
        return role
    }

    /// The cached copy of `file` if it still verifies against the current root; one that does not
    /// (keys rotated, file damaged) is ignored, as if absent. Expiry does not matter here: an
    /// expired copy still guards against rollback.
    func cached<Role>(_ file: String, as name: String, _ parse: (JSONValue) throws(TUFError) -> Role) throws -> Role? {
        guard let bytes = try directory.contents(of: file) else { return nil }
        return try? verified(bytes, as: name, parse)
    }
}
