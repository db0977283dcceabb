import RelaisCore
import RelaisRepository

/// The licence hash bins of a repository made with `relais repo init --licence-bins N`, kept in
/// `.relais-hub/bins.json` (public keys only): top-level targets delegates to N succinct hash bins
/// (TUF's `succinct_roles`, TAP 15) named `licences-HEX`, each listing the `licences/UAI.json`
/// targets whose path hashes into it, all signed by the bins key(s) in KEYS. A box then fetches
/// the one bin holding its own licence instead of every school's licence in targets.json.
struct LicenceBins {
    static let namePrefix = "licences"
    /// Target paths that go to the bins; every other target stays in top-level targets.
    static let pathPrefix = "licences/"

    let succinct: SuccinctRoles
    /// The bins' public keys, as the delegation lists them (keyid → key object).
    let keys: [String: JSONValue]

    /// `count` bins (a power of two, 2 to 65536) signed by `signers`.
    init(count: Int, signers: [SigningKey]) throws(HubError) {
        guard count >= 2, count <= 65_536, count & (count - 1) == 0 else {
            throw .badPolicy("the number of licence bins (--licence-bins, or --count of repo bins) must be a power of two from 2 to 65536 (e.g. 256 for a few thousand schools), not \(count)")
        }
        succinct = SuccinctRoles(
            keyIDs: signers.map(\.keyID).sorted(), threshold: 1, bitLength: count.trailingZeroBitCount, namePrefix: LicenceBins.namePrefix)
        keys = Dictionary(uniqueKeysWithValues: signers.map { ($0.keyID, $0.publicJSON) })
    }

    /// The repository's bins, nil when it was made without `--licence-bins`.
    static func load(_ layout: HubLayout) throws(HubError) -> LicenceBins? {
        guard HubFiles.exists(layout.bins) else { return nil }
        let json: JSONValue
        do { json = try JSONValue(parsing: try HubFiles.read(layout.bins), numbers: .integersOnly) } catch { throw .corruptState("\(layout.bins) is not valid JSON") }
        guard case .integer(let bits)? = json["bit_length"], (1...16).contains(bits), case .object(let keys)? = json["keys"], !keys.isEmpty,
            case .integer(let threshold)? = json["threshold"], threshold >= 1
        else { throw .corruptState("\(layout.bins) lacks bit_length, keys or threshold") }
        return LicenceBins(
            succinct: SuccinctRoles(keyIDs: keys.keys.sorted(), threshold: Int(threshold), bitLength: Int(bits), namePrefix: namePrefix), keys: keys)
    }

    private init(succinct: SuccinctRoles, keys: [String: JSONValue]) {
        self.succinct = succinct
        self.keys = keys
    }

    func save(_ layout: HubLayout) throws(HubError) {
        try HubFiles.save(
            JSONValue.object([
                "bit_length": .integer(Int64(succinct.bitLength)), "threshold": .integer(Int64(succinct.threshold)), "keys": .object(keys),
            ]).canonicalBytes(), to: layout.bins)
    }

    /// `delegations` of top-level targets.
    var delegations: JSONValue {
        .object([
            "keys": .object(keys),
            "succinct_roles": .object([
                "bit_length": .integer(Int64(succinct.bitLength)), "name_prefix": .string(succinct.namePrefix),
                "keyids": .array(succinct.keyIDs.map(JSONValue.string)), "threshold": .integer(Int64(succinct.threshold)),
            ]),
        ])
    }

    /// The draft split: top-level targets, and each bin's targets (every bin present, maybe empty).
    func split(_ targets: [String: JSONValue]) -> (top: [String: JSONValue], bins: [String: [String: JSONValue]]) {
        var top: [String: JSONValue] = [:]
        var bins: [String: [String: JSONValue]] = Dictionary(uniqueKeysWithValues: succinct.binNames.map { ($0, [:]) })
        for (path, entry) in targets {
            if path.hasPrefix(LicenceBins.pathPrefix) { bins[succinct.binName(for: path), default: [:]][path] = entry } else { top[path] = entry }
        }
        return (top, bins)
    }

    /// Checks a signed bin as a box would: the bins' keys and threshold.
    func verify(_ bytes: [UInt8], bin: String) throws(HubError) {
        do {
            var tufKeys: [String: TUFKey] = [:]
            for (id, key) in keys { tufKeys[id] = try TUFKey(key) }
            try SignedMetadata(bytes: bytes).verify(role: bin, keyIDs: succinct.keyIDs, threshold: succinct.threshold, keys: tufKeys)
        } catch {
            throw .corruptState("the new \(bin) metadata does not verify (\(error)); check the bins key in KEYS")
        }
    }
}
