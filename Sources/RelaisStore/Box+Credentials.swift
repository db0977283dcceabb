import Crypto
import Foundation
import GRDB
import RelaisCore
import RelaisXAPI

/// What an authenticated LRS client may do.
public enum CredentialScope: Sendable, Equatable {
    /// An activity provider on the LAN (`relais credentials add`): writes statements, reads the
    /// ones it wrote, uses documents.
    case provider(key: String)
    /// One launch: writes statements whose actor is `actor` and whose context.registration is
    /// `registration`, reads statements of that registration, uses that actor's documents.
    case launch(key: String, actor: JSONValue, registration: String)

    /// The credential's key (the Basic user name), recorded with the statements it writes.
    public var key: String {
        switch self {
        case .provider(let key), .launch(let key, _, _): key
        }
    }

    /// Refuses (403) a statement this credential may not write.
    public func checkWrite(_ statement: JSONValue, path: String = "statement") throws(XAPIError) {
        guard case .launch(_, let actor, let registration) = self else { return }
        guard let actorKey = statement["actor"].flatMap(AgentIdentity.key(of:)), actorKey == AgentIdentity.key(of: actor) else {
            throw .forbidden("\(path).actor is not the actor of this launch")
        }
        guard statement["context"]?["registration"]?.stringValue?.lowercased() == registration.lowercased() else {
            throw .forbidden("\(path).context.registration is not the registration of this launch")
        }
    }

    /// Refuses (403) documents of another agent, or another registration, than the launch's.
    public func checkDocument(agentKey: String, registration: String?) throws(XAPIError) {
        guard case .launch(_, let actor, let own) = self else { return }
        guard agentKey == AgentIdentity.key(of: actor) else { throw .forbidden("agent is not the actor of this launch") }
        if let registration, registration.lowercased() != own.lowercased() {
            throw .forbidden("registration is not the registration of this launch")
        }
    }
}

extension Box {
    /// A credential for an activity provider on the LAN; the secret is shown once, only its hash kept.
    public func addCredential(name: String, now: Date = Date()) throws -> (key: String, secret: String) {
        try insertCredential(kind: "provider", name: name, actor: nil, registration: nil, expiresAt: nil, now: now)
    }

    /// A credential for one launch, scoped to its actor and registration. `expiresAt` is in
    /// milliseconds since 1970 (nil: never), like `storedAt`.
    public func addLaunchCredential(actor: JSONValue, registration: String, expiresAt: Int64?, now: Date = Date()) throws -> (key: String, secret: String) {
        try StatementValidator.validate(
            ["actor": actor, "verb": ["id": "http://adlnet.gov/expapi/verbs/launched"], "object": ["id": "urn:relais:launch"]])
        guard XAPIFormat.isUUID(registration) else { throw XAPIError.badRequest("registration is not a UUID") }
        return try insertCredential(kind: "launch", name: nil, actor: actor, registration: registration, expiresAt: expiresAt, now: now)
    }

    /// The scope of `key:secret`, nil when unknown, wrong or expired. The secret's hash is
    /// compared in constant time.
    public func authenticate(key: String, secret: String, now: Date = Date()) throws -> CredentialScope? {
        let row = try database.read { db in
            try Row.fetchOne(db, sql: "SELECT secretHash, kind, actor, registration, expiresAt FROM credential WHERE key = ?", arguments: [key])
        }
        guard let row else { return nil }
        let expected: Data = row["secretHash"]
        let given = Data(SHA256.hash(data: Data(secret.utf8)))
        guard Secrets.constantTimeEqual(expected, given) else { return nil }
        if let expiresAt: Int64 = row["expiresAt"], expiresAt <= Int64(now.timeIntervalSince1970 * 1000) { return nil }
        switch row["kind"] as String {
        case "launch":
            guard let actorBytes: Data = row["actor"], let actor = try? JSONValue(parsing: actorBytes), let registration: String = row["registration"]
            else { return nil }
            return .launch(key: key, actor: actor, registration: registration)
        default:
            return .provider(key: key)
        }
    }

    /// The `authority` the LRS writes on statements: the box's own account for the credential
    /// (or for the box itself when `scope` is nil), never a person.
    public func authority(for scope: CredentialScope?) throws -> JSONValue {
        let name = scope.map { "credential:\($0.key)" } ?? "relais"
        return ["objectType": "Agent", "account": ["homePage": .string("https://relais.invalid/\(try identity().uai)"), "name": .string(name)]]
    }

    private func insertCredential(kind: String, name: String?, actor: JSONValue?, registration: String?, expiresAt: Int64?, now: Date) throws
        -> (key: String, secret: String)
    {
        let key = Secrets.randomHex(bytes: 16)
        let secret = Secrets.randomHex(bytes: 32)
        try database.write { db in
            // Launch credentials die with their launch: expired ones go as new ones are made, so
            // the table does not grow by one row per launch forever.
            try db.execute(sql: "DELETE FROM credential WHERE expiresAt IS NOT NULL AND expiresAt < ?", arguments: [Int64(now.timeIntervalSince1970 * 1000)])
            try db.execute(
                sql: """
                    INSERT INTO credential (key, secretHash, kind, name, actor, registration, expiresAt, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key, Data(SHA256.hash(data: Data(secret.utf8))), kind, name, actor.map { Data($0.serialized()) }, registration, expiresAt,
                    Int64(now.timeIntervalSince1970 * 1000),
                ])
        }
        return (key, secret)
    }
}
