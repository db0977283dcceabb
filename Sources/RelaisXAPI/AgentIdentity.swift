import RelaisCore

/// The identity of an Agent or identified Group: its Inverse Functional Identifier as one
/// canonical string (`mbox:mailto:x@y`, `mbox_sha1sum:…`, `openid:…`, `account:HOME|NAME`).
///
/// Used as the index key of statements and documents (two spellings of one agent, with or
/// without `name` or `objectType`, are the same agent) and as the local user id that the
/// pseudonymizer turns into an account name.
public enum AgentIdentity {
    /// The canonical key of an agent, nil when it has no identifier (an anonymous Group).
    public static func key(of agent: JSONValue) -> String? {
        if let mbox = agent["mbox"]?.stringValue { return "mbox:" + mbox }
        if let sum = agent["mbox_sha1sum"]?.stringValue { return "mbox_sha1sum:" + sum.lowercased() }
        if let openid = agent["openid"]?.stringValue { return "openid:" + openid }
        if let account = agent["account"], let home = account["homePage"]?.stringValue, let name = account["name"]?.stringValue {
            return "account:" + home + "|" + name
        }
        return nil
    }

    /// Parses and validates the `agent` parameter of the document resources (a JSON Agent).
    public static func agentParameter(_ text: String, name: String = "agent") throws(XAPIError) -> (agent: JSONValue, key: String) {
        let agent: JSONValue
        do { agent = try JSONValue(parsing: text) } catch { throw .badRequest("\(name) is not JSON: \(error.message)") }
        try AgentValidator.actor(agent, name)
        guard let key = key(of: agent) else { throw .badRequest("\(name) must have an identifier (mbox, mbox_sha1sum, openid or account)") }
        return (agent, key)
    }
}
