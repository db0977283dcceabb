import Foundation
import GRDB
import RelaisCore
import RelaisXAPI

/// The filters of `GET /xapi/statements` (xAPI-Communication 2.1.3) that the box supports, and
/// the position of the next page: a `more` cursor is this query serialised.
public struct StatementQuery: Sendable, Equatable {
    /// The most statements one page returns (also the page size when `limit` is 0 or absent).
    public static let maxLimit = 500

    /// AgentIdentity key of the actor or the object (an Agent or Group).
    public var agentKey: String?
    public var verbId: String?
    /// object.id of an Activity object.
    public var activityId: String?
    public var registration: String?
    /// Stored strictly after (ms since 1970).
    public var since: Int64?
    /// Stored at or before (ms).
    public var until: Int64?
    public var limit: Int
    public var ascending: Bool
    /// Paging: only statements after (or, descending, before) this `seq`.
    public var afterSeq: Int64?
    /// `related_activities`: the activity filter also matches context activities and the
    /// objects of SubStatements.
    public var relatedActivities = false
    /// `related_agents`: the agent filter also matches authority, instructor, team and
    /// SubStatements' agents.
    public var relatedAgents = false
    /// `format` (exact, ids, canonical) and `attachments`, carried by `more` to the next page.
    public var format = "exact"
    public var attachments = false

    public init(
        agentKey: String? = nil, verbId: String? = nil, activityId: String? = nil, registration: String? = nil, since: Int64? = nil,
        until: Int64? = nil, limit: Int = 0, ascending: Bool = false, afterSeq: Int64? = nil
    ) {
        self.agentKey = agentKey
        self.verbId = verbId
        self.activityId = activityId
        self.registration = registration
        self.since = since
        self.until = until
        self.limit = limit
        self.ascending = ascending
        self.afterSeq = afterSeq
    }

    /// The `more` cursor: this query as JSON, to be carried opaquely by the client.
    public var cursor: JSONValue {
        var members: [String: JSONValue] = ["limit": .integer(Int64(limit)), "ascending": .bool(ascending)]
        members["agent"] = agentKey.map(JSONValue.string)
        members["verb"] = verbId.map(JSONValue.string)
        members["activity"] = activityId.map(JSONValue.string)
        members["registration"] = registration.map(JSONValue.string)
        members["since"] = since.map(JSONValue.integer)
        members["until"] = until.map(JSONValue.integer)
        members["after"] = afterSeq.map(JSONValue.integer)
        if relatedActivities { members["relatedActivities"] = true }
        if relatedAgents { members["relatedAgents"] = true }
        if format != "exact" { members["format"] = .string(format) }
        if attachments { members["attachments"] = true }
        return .object(members)
    }

    /// The query a cursor stands for; nil when it is not one.
    public init?(cursor: JSONValue) {
        guard case .integer(let limit)? = cursor["limit"], let ascending = cursor["ascending"]?.boolValue else { return nil }
        func integer(_ key: String) -> Int64? {
            if case .integer(let value)? = cursor[key] { return value }
            return nil
        }
        self.init(
            agentKey: cursor["agent"]?.stringValue, verbId: cursor["verb"]?.stringValue, activityId: cursor["activity"]?.stringValue,
            registration: cursor["registration"]?.stringValue, since: integer("since"), until: integer("until"),
            limit: Int(clamping: limit), ascending: ascending, afterSeq: integer("after"))
        relatedActivities = cursor["relatedActivities"] == true
        relatedAgents = cursor["relatedAgents"] == true
        format = cursor["format"]?.stringValue ?? "exact"
        attachments = cursor["attachments"] == true
    }

    /// What a credential may read, as a WHERE fragment: a provider its own statements, a launch
    /// those of its registration, the box (nil) everything.
    static func visibility(_ scope: CredentialScope?) -> (sql: String, arguments: StatementArguments) {
        switch scope {
        case nil: return ("", [])
        case .provider(let key)?: return (" AND credential = ?", [key])
        case .launch(_, _, let registration)?: return (" AND registration = ?", [registration.lowercased()])
        }
    }
}

/// One page of statements: their stored bytes, and the query of the next page when there is one.
public struct StatementPage: Sendable {
    public var statements: [[UInt8]]
    public var more: StatementQuery?
    /// The `seq` of each statement (where a shortened page's `more` resumes).
    public var seqs: [Int64] = []
}

extension Box {
    /// Statements matching `query` that `scope` may read, newest first unless ascending; voided
    /// statements are left out (their voiding statements are returned).
    public func statements(matching query: StatementQuery, scope: CredentialScope?) throws -> StatementPage {
        var sql = "SELECT seq, body FROM statement WHERE voided = 0"
        var arguments: StatementArguments = []
        if let agent = query.agentKey {
            if query.relatedAgents {
                sql += " AND (actorKey = ? OR objectAgentKey = ? OR seq IN (SELECT seq FROM statementRelation WHERE kind = 'agent' AND key = ?))"
                arguments += [agent, agent, agent]
            } else {
                sql += " AND (actorKey = ? OR objectAgentKey = ?)"
                arguments += [agent, agent]
            }
        }
        if let activity = query.activityId, query.relatedActivities {
            sql += " AND (activityId = ? OR seq IN (SELECT seq FROM statementRelation WHERE kind = 'activity' AND key = ?))"
            arguments += [activity, activity]
        }
        let activityColumn = query.relatedActivities ? nil : query.activityId
        for (column, value) in [("verbId", query.verbId), ("activityId", activityColumn), ("registration", query.registration?.lowercased())] {
            guard let value else { continue }
            sql += " AND \(column) = ?"
            arguments += [value]
        }
        if let since = query.since {
            sql += " AND storedAt > ?"
            arguments += [since]
        }
        if let until = query.until {
            sql += " AND storedAt <= ?"
            arguments += [until]
        }
        if let after = query.afterSeq {
            sql += query.ascending ? " AND seq > ?" : " AND seq < ?"
            arguments += [after]
        }
        let visibility = StatementQuery.visibility(scope)
        sql += visibility.sql
        arguments += visibility.arguments
        let pageSize = query.limit <= 0 ? StatementQuery.maxLimit : min(query.limit, StatementQuery.maxLimit)
        sql += " ORDER BY seq \(query.ascending ? "ASC" : "DESC") LIMIT \(pageSize + 1)"
        let rows = try database.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
        var page = StatementPage(
            statements: rows.prefix(pageSize).map { Array($0["body"] as Data) }, more: nil, seqs: rows.prefix(pageSize).map { $0["seq"] })
        if rows.count > pageSize, let last = rows.prefix(pageSize).last {
            var next = query
            next.afterSeq = last["seq"]
            page.more = next
        }
        return page
    }

    /// The time up to which every statement is visible to GET (X-Experience-API-Consistent-Through):
    /// now, unless a batch stamped earlier is still waiting for its commit — then just before it,
    /// so a client polling with `since` never skips it.
    public func consistentThrough(now: Date = Date()) -> String {
        let current = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let pending = statementsInFlight.withLock { $0.min() }
        return XAPIFormat.timestamp(milliseconds: pending.map { min(current, $0 - 1) } ?? current)
    }
}
