extension HubRepository {
    /// Moves the licences of a repository made without `--licence-bins` into `count` hash bins
    /// (`relais repo bins`): generates the bins key in KEYS and records the bins; the next publish
    /// then delegates `licences/…` from targets.json to the bins, so each box fetches one small
    /// bin instead of a targets.json listing every school. Boxes need nothing: their TUF client
    /// follows the delegation. Refuses a repository that already has bins (their number cannot
    /// change yet) and changes nothing then.
    /// - Returns: the bins key's keyid.
    @discardableResult
    public static func enableLicenceBins(repo: String, keys: String, count: Int) throws(HubError) -> String {
        let (layout, lock) = try open(repo)
        defer { withExtendedLifetime(lock) {} }
        if let existing = try LicenceBins.load(layout) {
            throw .badPolicy(
                "\(repo) already publishes its licences in \(existing.succinct.binCount) hash bins; their number cannot be changed yet")
        }
        let store = try KeyStore(path: keys, repo: repo)
        try store.checkPrivate()
        let key = SigningKey(roleName: SigningKey.binsRole)
        let bins = try LicenceBins(count: count, signers: [key])
        try store.save(key)
        try bins.save(layout)
        return key.keyID
    }
}
