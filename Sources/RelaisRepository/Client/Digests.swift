import Crypto
import RelaisCore

/// Running digests of a file for the hash algorithms its signed metadata lists, computed as the
/// bytes stream by, so a large target is read once.
struct Digests {
    /// What swift-crypto computes among the names TUF metadata uses.
    static let supported: Set<String> = ["sha256", "sha384", "sha512"]

    private var sha256: SHA256?
    private var sha384: SHA384?
    private var sha512: SHA512?

    /// Digests for every supported algorithm of `expected`; throws when none is supported, since a
    /// file nobody can check must not be trusted.
    init(checking expected: [String: String], file: String) throws(TUFError) {
        let algorithms = Set(expected.keys)
        guard !algorithms.isDisjoint(with: Digests.supported) else {
            throw .unsupportedHashes(file: file, algorithms: algorithms.sorted())
        }
        if algorithms.contains("sha256") { sha256 = SHA256() }
        if algorithms.contains("sha384") { sha384 = SHA384() }
        if algorithms.contains("sha512") { sha512 = SHA512() }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha256?.update(bufferPointer: bytes)
        sha384?.update(bufferPointer: bytes)
        sha512?.update(bufferPointer: bytes)
    }

    /// Throws naming the first supported algorithm whose digest differs (hex compared in lower case;
    /// algorithms the box cannot compute are skipped, at least one was checked).
    func check(against expected: [String: String], file: String) throws(TUFError) {
        var computed: [String: String] = [:]
        if let sha256 { computed["sha256"] = ContentHash(digest: sha256.finalize()).hex }
        if let sha384 { computed["sha384"] = ContentHash(digest: sha384.finalize()).hex }
        if let sha512 { computed["sha512"] = ContentHash(digest: sha512.finalize()).hex }
        for (algorithm, digest) in computed.sorted(by: { $0.key < $1.key }) where expected[algorithm]?.lowercased() != digest {
            throw .hashMismatch(file: file, algorithm: algorithm)
        }
    }
}

extension MetaFile {
    /// Checks downloaded metadata `bytes` against the length and hashes this entry gives, if any.
    func check(_ bytes: [UInt8], file: String) throws(TUFError) {
        if let length, Int64(bytes.count) != length { throw .lengthMismatch(file: file, expected: length, got: Int64(bytes.count)) }
        guard !hashes.isEmpty else { return }
        var digests = try Digests(checking: hashes, file: file)
        bytes.withUnsafeBytes { digests.update($0) }
        try digests.check(against: hashes, file: file)
    }

    /// Whether `bytes` agree with this entry: used to accept a cached copy without downloading.
    func matches(_ bytes: [UInt8]) -> Bool {
        (try? check(bytes, file: "")) != nil
    }
}
