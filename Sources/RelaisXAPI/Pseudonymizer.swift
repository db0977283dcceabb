import Crypto
import RelaisCore

/// Turns people into the box's pseudonymous accounts (product.md, "Usage statements").
///
/// A local user id `u` becomes `{"objectType":"Agent","account":{"homePage":
/// "https://relais.invalid/{UAI}","name": hex(HMAC-SHA256(secret, u))[0..<32]}}`: stable for the
/// same person on this box (so the upstream LRS can follow a learner), meaningless without the
/// box's secret. Statements that name someone (name, mbox, mbox_sha1sum, openid, or an account
/// the box did not issue) get every such Agent replaced before they leave the box.
public struct Pseudonymizer: Sendable {
    private let key: SymmetricKey
    /// This box's account home page; accounts under it are already pseudonymous.
    public let homePage: String

    public init(secret: [UInt8], uai: String) {
        key = SymmetricKey(data: secret)
        homePage = "https://relais.invalid/\(uai)"
    }

    /// 32 lowercase hexadecimal digits: the first 16 bytes of HMAC-SHA256(secret, id).
    public func accountName(forLocalUser id: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(id.utf8), using: key)
        return Hex.encode(mac.prefix(16))
    }

    /// The pseudonymous Agent of a local user.
    public func account(forLocalUser id: String) -> JSONValue {
        ["objectType": "Agent", "account": ["homePage": .string(homePage), "name": .string(accountName(forLocalUser: id))]]
    }

    /// The statement with every identifying Agent replaced: actor, object (Agent or Group),
    /// context.instructor, context.team, Group members, and the same inside a SubStatement.
    /// Authority is left alone: the box writes it, with its own accounts.
    public func pseudonymize(_ statement: JSONValue) -> JSONValue {
        guard case .object(var members) = statement else { return statement }
        if let actor = members["actor"] { members["actor"] = agentOrGroup(actor) }
        if let object = members["object"] {
            switch object["objectType"]?.stringValue {
            case "Agent", "Group": members["object"] = agentOrGroup(object)
            case "SubStatement": members["object"] = pseudonymize(object)
            default: break
            }
        }
        if case .object(var context)? = members["context"] {
            if let instructor = context["instructor"] { context["instructor"] = agentOrGroup(instructor) }
            if let team = context["team"] { context["team"] = agentOrGroup(team) }
            members["context"] = .object(context)
        }
        return .object(members)
    }

    func agentOrGroup(_ value: JSONValue) -> JSONValue {
        value["objectType"] == "Group" ? group(value) : agent(value)
    }

    /// A Group keeps its type, loses its name, and has its identifier and members pseudonymised.
    func group(_ value: JSONValue) -> JSONValue {
        var out: [String: JSONValue] = ["objectType": "Group"]
        if let key = AgentIdentity.key(of: value) {
            out["account"] = isOwn(value) ? value["account"] : account(forLocalUser: key)["account"]
        }
        if let members = value["member"]?.arrayValue { out["member"] = .array(members.map(agent)) }
        return .object(out)
    }

    func agent(_ value: JSONValue) -> JSONValue {
        if isOwn(value) {
            // Already the box's pseudonym: only a name beside it would identify someone.
            return value["name"] == nil ? value : value.removing(["name"])
        }
        guard let key = AgentIdentity.key(of: value) else { return value.removing(["name"]) }
        return account(forLocalUser: key)
    }

    /// An agent identified only by an account this box issued.
    func isOwn(_ value: JSONValue) -> Bool {
        guard let account = value["account"], account["homePage"]?.stringValue == homePage else { return false }
        return value["mbox"] == nil && value["mbox_sha1sum"] == nil && value["openid"] == nil
    }
}
