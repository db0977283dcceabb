import Foundation
import RelaisArchive
import RelaisContent
import RelaisCore
import RelaisRepository
import RelaisXAPI

/// What one fuzz input did to a parser.
public enum FuzzOutcome: Equatable, Sendable {
    /// Parsed (and validated where the box validates).
    case accepted
    /// Refused with this error text (what the user or the log would see).
    case refused(String)
    /// A property the parser promises did not hold: a bug. The fuzzer traps on it.
    case broken(String)

    public var isBroken: Bool { if case .broken = self { true } else { false } }
}

/// One fuzzed parser: its name (the folder under Tests/Fuzz/) and its body.
public struct FuzzTarget: Sendable {
    public let name: String
    public let body: @Sendable ([UInt8]) -> FuzzOutcome
}

/// The bodies of the libFuzzer targets (issue 11, « Fuzzing »), as ordinary functions so that
/// the normal `swift test` replays every corpus and regression input through them
/// (RelaisFuzzTests) and the sanitizer-built `relais-fuzz` calls the very same code.
///
/// Each body drives the parser the way the box does on untrusted bytes, then checks the
/// properties a user would notice if they broke: a refusal says why (never an empty message),
/// what was accepted survives its own round trip, a request head parsed in two pieces gives the
/// same answer as in one, a served path never climbs out of its bundle.
public enum FuzzBodies {
    public static let targets: [FuzzTarget] = [
        FuzzTarget(name: "bundle-manifest", body: bundleManifest),
        FuzzTarget(name: "scorm-manifest", body: scormManifest),
        FuzzTarget(name: "cmi5", body: cmi5),
        FuzzTarget(name: "canonical-json", body: canonicalJSON),
        FuzzTarget(name: "tuf-metadata", body: tufMetadata),
        FuzzTarget(name: "licence", body: licence),
        FuzzTarget(name: "xapi-statement", body: xapiStatement),
        FuzzTarget(name: "request-head", body: requestHead),
        FuzzTarget(name: "archive", body: archive),
    ]

    public static func target(named name: String) -> FuzzTarget? { targets.first { $0.name == name } }

    static func refused(_ error: any Error) -> FuzzOutcome {
        let text = "\(error)"
        return text.trimmingCharacters(in: .whitespaces).isEmpty ? .broken("refused with an empty message: \(type(of: error))") : .refused(text)
    }

    // MARK: bundle.json

    /// `bundle.json` as `relais import` reads it: parse, validate; what is valid must encode and
    /// parse back to the same manifest, still valid.
    public static func bundleManifest(_ bytes: [UInt8]) -> FuzzOutcome {
        let manifest: BundleManifest
        do {
            manifest = try BundleManifest.parse(Data(bytes))
            try manifest.validate()
        } catch {
            return refused(error)
        }
        do {
            let again = try BundleManifest.parse(manifest.encoded())
            guard again == manifest else { return .broken("bundle.json changed through encoded() and parse()") }
            try again.validate()
        } catch {
            return .broken("a valid bundle.json, re-encoded, was refused: \(error)")
        }
        _ = BundleStructure.single(manifest)
        return .accepted
    }

    // MARK: imsmanifest.xml and cmi5.xml

    /// `imsmanifest.xml` as `relais bundle pack` and the player read it.
    public static func scormManifest(_ bytes: [UInt8]) -> FuzzOutcome {
        do {
            let manifest = try ScormManifest(parsing: bytes)
            _ = BundleStructure.scorm(manifest)
            _ = try DerivedManifest.scorm(manifest)
            return .accepted
        } catch {
            return refused(error)
        }
    }

    /// `cmi5.xml` as `relais bundle pack` and the cmi5 launcher read it.
    public static func cmi5(_ bytes: [UInt8]) -> FuzzOutcome {
        do {
            let course = try Cmi5CourseStructure(parsing: bytes)
            _ = BundleStructure.cmi5(course)
            _ = try DerivedManifest.cmi5(course)
            return .accepted
        } catch {
            return refused(error)
        }
    }

    // MARK: canonical JSON

    /// RelaisCore's strict JSON reader in both number modes; what it accepts must serialize to
    /// RFC 8259 text it reads back as the same value, with the same canonical form (TUF signatures
    /// are over it). The canonical form itself is not re-read: like securesystemslib's, it writes
    /// control characters raw, which strict JSON refuses.
    public static func canonicalJSON(_ bytes: [UInt8]) -> FuzzOutcome {
        var outcome = FuzzOutcome.refused("")
        for numbers in [JSONNumbers.integersOnly, .integersAndFractions] {
            let value: JSONValue
            do { value = try JSONValue(parsing: bytes, numbers: numbers) } catch {
                if case .broken = outcome { return outcome }
                if outcome != .accepted { outcome = refused(error) }
                continue
            }
            outcome = .accepted
            let text = value.serialized()
            guard let again = try? JSONValue(parsing: text, numbers: numbers) else {
                return .broken("the serialized form of an accepted document is not readable: \(String(decoding: text.prefix(200), as: UTF8.self))")
            }
            guard again == value else { return .broken("the serialized form reads back as another value") }
            guard again.canonicalBytes() == value.canonicalBytes() else { return .broken("the canonical form changed through serialization") }
        }
        return outcome
    }

    // MARK: TUF metadata

    /// A metadata file as the box's TUF client reads it from the repository (or a USB key):
    /// envelope, then the role named by `_type`; a root is also tried as the trust root (its keys
    /// parsed, its self-signatures checked); delegations are matched against a few paths.
    public static func tufMetadata(_ bytes: [UInt8]) -> FuzzOutcome {
        do {
            let file = try SignedMetadata(bytes: bytes)
            guard case .string(let type)? = file.signed["_type"] else { throw TUFError.malformed("no _type") }
            switch type {
            case "root":
                let root = try RootMetadata(file.signed)
                for (name, role) in root.roles {
                    _ = try? file.verify(role: name, keyIDs: role.keyIDs, threshold: role.threshold, keys: root.keys)
                }
                _ = try TrustedRoot(bytes: bytes)
            case "timestamp":
                _ = try TimestampMetadata(file.signed)
            case "snapshot":
                _ = try SnapshotMetadata(file.signed)
            case "targets":
                let targets = try TargetsMetadata(file.signed)
                if let delegations = targets.delegations {
                    for path in ["0/fr.relais.demo.json", "licences/0123456A.json", "a/b/c", "", "*"] {
                        _ = delegations.roles(for: path)
                    }
                }
            default:
                _ = try MetadataHeader(file.signed, type: type)
            }
            return .accepted
        } catch {
            return refused(error)
        }
    }

    // MARK: licence documents

    /// A licence document (GAR-shaped `abonnements`) as `relais sync` stores it; an accepted one
    /// answers the catalogue's questions for each of its resources.
    public static func licence(_ bytes: [UInt8]) -> FuzzOutcome {
        let document: LicenceDocument
        do { document = try LicenceDocument(json: bytes) } catch { return refused(error) }
        for abonnement in document.abonnements {
            let id = abonnement.idRessource
            for now in [abonnement.debutValidite, abonnement.finValidite, 0, Int64.max, Int64.min] {
                _ = document.state(of: id, licenceRequired: true, at: now)
                _ = abonnement.isActive(at: now)
            }
            for audience in PublicCible.allCases { _ = document.isVisible(id, licenceRequired: true, to: audience) }
            _ = document.resourceName(of: id)
            _ = UTCTime.format(abonnement.debutValidite)
            _ = UTCTime.frenchDay(abonnement.finValidite)
        }
        do { _ = try LicenceDocument(json: bytes, expectedUAI: document.uai) } catch {
            return .broken("a licence document was refused for its own UAI: \(error)")
        }
        return .accepted
    }

    // MARK: xAPI statements

    static let pseudonymizer = Pseudonymizer(secret: Array(repeating: 7, count: 32), uai: "0123456A")
    static let scrubber = FreeTextScrubber(names: ["Zoé Martin", "Léo"], classes: ["CM2 B"])

    /// A POST /xapi/statements body (one statement or a list) through validation; an accepted
    /// statement goes through what the LRS and the upstream push do with it (formats,
    /// pseudonyms, free-text scrubbing) and is equivalent to itself.
    public static func xapiStatement(_ bytes: [UInt8]) -> FuzzOutcome {
        let statements: [JSONValue]
        do {
            let body = try JSONValue(parsing: bytes)
            if case .array(let list) = body { statements = list } else { statements = [body] }
            for (index, statement) in statements.enumerated() {
                try StatementValidator.validate(statement, path: statements.count == 1 ? "statement" : "statements[\(index)]")
            }
        } catch {
            return refused(error)
        }
        for statement in statements {
            for format in [StatementFormat.exact, .ids, .canonical] {
                _ = format.apply(statement, languages: ["fr-FR", "en"])
            }
            let outgoing = scrubber.scrub(statement: pseudonymizer.pseudonymize(statement))
            _ = outgoing.canonicalBytes()
            guard StatementEquivalence.areEquivalent(statement, statement) else {
                return .broken("a statement is not equivalent to itself")
            }
        }
        return .accepted
    }

    // MARK: the content origin's request head

    /// Bytes from a LAN socket as the content origin reads them: the head parser (whole, and in
    /// two pieces as the bytes may arrive), then the request-target's classification. A served
    /// file path never has a `..` or empty segment.
    public static func requestHead(_ bytes: [UInt8]) -> FuzzOutcome {
        let whole = bytes.withUnsafeBytes { RequestHeadParser.parse($0) }
        let split = bytes.count / 2
        let first = bytes[..<split].withUnsafeBytes { RequestHeadParser.parse($0) }
        if case .incomplete(let resumeAt) = first {
            let resumed = bytes.withUnsafeBytes { RequestHeadParser.parse($0, resumeAt: resumeAt) }
            guard resumed == whole else { return .broken("head parsed in two pieces differs: \(resumed) vs \(whole)") }
        }
        var outcome: FuzzOutcome
        switch whole {
        case .incomplete:
            outcome = .refused("incomplete head")
        case .invalid(let error):
            outcome = .refused("\(error)")
        case .complete(let request, let length):
            guard length > 0, length <= bytes.count else { return .broken("head length \(length) outside the \(bytes.count) bytes") }
            if let broken = checkTarget(request.target) { return broken }
            outcome = .accepted
        }
        // The classifier alone, on the raw bytes as a target (the parser keeps only token-ish bytes).
        if let broken = checkTarget(String(decoding: bytes, as: UTF8.self)) { return broken }
        return outcome
    }

    static func checkTarget(_ uri: String) -> FuzzOutcome? {
        guard case .file(_, _, let path) = ContentRequestTarget(uri: uri) else { return nil }
        if path.segments.contains(where: { $0 == ".." || $0 == "." }) || path.value.hasPrefix("/") || path.value.contains("//") {
            return .broken("target \(uri.debugDescription) classified as the file « \(path.value) »")
        }
        return nil
    }

    // MARK: archives

    /// A bundle file as `relais import` and `relais bundle inspect` read it: every entry through
    /// ArchiveReader (libarchive, with the box's checks on names, types, sizes, ratio), then the
    /// bundle header (bundle.json, SHA256SUMS) and structure through BundleInspector.
    public static func archive(_ bytes: [UInt8]) -> FuzzOutcome {
        let path = scratchFile
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            return .broken("cannot write the scratch file \(path)")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let reader = try ArchiveReader(path: path)
            while try reader.nextEntry() != nil {
                try reader.readData { _ in }
            }
        } catch {
            return refused(error)
        }
        do {
            _ = try BundleInspector.inspect(path: path)
            return .accepted
        } catch {
            return refused(error)
        }
    }

    static let scratchFile: String = {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return (folder as NSString).appendingPathComponent("relais-fuzz-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).bundle")
    }()
}
