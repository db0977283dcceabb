import RelaisCore

/// Agents and Groups (xAPI-Data 2.4.2): exactly one Inverse Functional Identifier for an Agent,
/// at most one for a Group, which then may list its members.
enum AgentValidator {
    static let ifiKeys = ["mbox", "mbox_sha1sum", "openid", "account"]
    static let agentKeys: Set<String> = ["objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"]
    static let groupKeys: Set<String> = agentKeys.union(["member"])

    /// An actor, authority, instructor or agent object: an Agent or a Group.
    static func actor(_ value: JSONValue, _ path: String) throws(XAPIError) {
        switch value["objectType"] {
        case nil, .string("Agent")?: try agent(value, path)
        case .string("Group")?: try group(value, path)
        default: throw StatementValidator.bad("\(path).objectType", "must be Agent or Group")
        }
    }

    static func agent(_ value: JSONValue, _ path: String) throws(XAPIError) {
        let members = try StatementValidator.object(value, path, allowed: agentKeys)
        if let objectType = members["objectType"], objectType != "Agent" {
            throw StatementValidator.bad("\(path).objectType", "must be Agent")
        }
        let count = try identifiers(members, path)
        guard count == 1 else {
            throw StatementValidator.bad(path, "must have exactly one of mbox, mbox_sha1sum, openid, account (has \(count))")
        }
    }

    static func group(_ value: JSONValue, _ path: String) throws(XAPIError) {
        let members = try StatementValidator.object(value, path, allowed: groupKeys)
        let count = try identifiers(members, path)
        guard count <= 1 else { throw StatementValidator.bad(path, "must have at most one of mbox, mbox_sha1sum, openid, account") }
        if let list = members["member"] {
            guard let agents = list.arrayValue else { throw StatementValidator.bad("\(path).member", "must be an array of Agents") }
            for (i, member) in agents.enumerated() { try agent(member, "\(path).member[\(i)]") }
            if count == 0, agents.isEmpty { throw StatementValidator.bad("\(path).member", "must not be empty in an anonymous Group") }
        } else if count == 0 {
            throw StatementValidator.bad("\(path).member", "is required in an anonymous Group (one without an identifier)")
        }
    }

    /// Checks the identifiers present and the name; returns how many there are.
    static func identifiers(_ members: [String: JSONValue], _ path: String) throws(XAPIError) -> Int {
        if let name = members["name"] { try StatementValidator.string(name, "\(path).name") }
        if let mbox = members["mbox"] {
            guard let text = mbox.stringValue, text.hasPrefix("mailto:"), text.utf8.count > 7, XAPIFormat.isIRI(text) else {
                throw StatementValidator.bad("\(path).mbox", "must be a mailto: IRI")
            }
        }
        if let sum = members["mbox_sha1sum"] {
            guard let text = sum.stringValue, XAPIFormat.isSHA1Hex(text) else {
                throw StatementValidator.bad("\(path).mbox_sha1sum", "must be 40 hexadecimal digits")
            }
        }
        if let openid = members["openid"] { try StatementValidator.iri(openid, "\(path).openid") }
        if let account = members["account"] {
            let fields = try StatementValidator.object(account, "\(path).account", allowed: ["homePage", "name"])
            guard let homePage = fields["homePage"] else { throw StatementValidator.bad("\(path).account.homePage", "is required") }
            try StatementValidator.iri(homePage, "\(path).account.homePage")
            guard let name = fields["name"] else { throw StatementValidator.bad("\(path).account.name", "is required") }
            try StatementValidator.string(name, "\(path).account.name")
        }
        return ifiKeys.count { members[$0] != nil }
    }
}
