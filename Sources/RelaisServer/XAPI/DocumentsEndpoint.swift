import Foundation
import Hummingbird
import RelaisContent
import RelaisCore
import RelaisStore
import RelaisXAPI

/// `/xapi/activities/state` (xAPI-Communication 2.3), `/xapi/agents/profile` (2.6) and
/// `/xapi/activities/profile` (2.7): one document by id, or the list of ids (`since`) when the
/// id is absent.
struct DocumentsEndpoint {
    let box: Box
    let gate: BodyGate
    /// The bundles' own origins: a launch's credential is taken from its bundle's pages only.
    let origins: BundleOriginMap

    enum Kind {
        case state, agentProfile, activityProfile

        var idName: String { self == .state ? "stateId" : "profileId" }
        var parameters: Set<String> {
            switch self {
            case .state: ["activityId", "agent", "registration", "stateId", "since"]
            case .agentProfile: ["agent", "profileId", "since"]
            case .activityProfile: ["activityId", "profileId", "since"]
            }
        }
    }

    /// Where a request points, after checking the credential may go there.
    struct Target {
        let activityId: String
        let agent: JSONValue
        let registration: String?
        let id: String?
    }

    func target(_ kind: Kind, _ xapi: XAPIRequest) throws -> Target {
        try xapi.checkParameters(kind.parameters)
        let scope = try xapi.authenticate()
        let agent = kind == .activityProfile ? nil : try AgentIdentity.agentParameter(try xapi.required("agent"))
        let target = Target(
            activityId: kind == .agentProfile ? "" : try xapi.iri("activityId"), agent: agent?.agent ?? .null,
            registration: kind == .state ? try xapi.registration() : nil, id: xapi.parameter(kind.idName))
        // Activity profiles belong to the Activity, not to a learner: any credential may use them.
        if let agent { try scope.checkDocument(agentKey: agent.key, registration: target.registration) }
        return target
    }

    func get(_ kind: Kind, _ request: Request) async throws -> Response {
        let xapi = try XAPIRequest(request: request, box: box, gate: gate, origins: origins)
        let t = try target(kind, xapi)
        guard let id = t.id else {
            let since = try xapi.time("since")
            let ids: [String]
            switch kind {
            case .state: ids = try box.stateIds(activityId: t.activityId, agent: t.agent, registration: t.registration, since: since)
            case .agentProfile: ids = try box.agentProfileIds(agent: t.agent, since: since)
            case .activityProfile: ids = try box.activityProfileIds(activityId: t.activityId, since: since)
            }
            return XAPIResponse.json(.ok, JSONValue.array(ids.map(JSONValue.string)).serialized())
        }
        let document: XAPIDocument?
        switch kind {
        case .state: document = try box.state(activityId: t.activityId, agent: t.agent, registration: t.registration, stateId: id)
        case .agentProfile: document = try box.agentProfile(agent: t.agent, profileId: id)
        case .activityProfile: document = try box.activityProfile(activityId: t.activityId, profileId: id)
        }
        guard let document else { throw XAPIError.notFound("no document \(id)") }
        let headers: HTTPFields = [
            .contentType: document.contentType, .eTag: "\"\(document.etag)\"", .cacheControl: "no-store",
            .lastModified: HTTPDate.format(document.updated / 1000),
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document.body)))
    }

    /// PUT replaces, POST merges JSON objects; 204 either way.
    func write(_ kind: Kind, _ request: Request, merge: Bool) async throws -> Response {
        let xapi = try XAPIRequest(request: request, box: box, gate: gate, origins: origins)
        let t = try target(kind, xapi)
        guard let id = t.id, !id.isEmpty else { throw XAPIError.badRequest("the \(kind.idName) parameter is required") }
        let body = try await xapi.body()
        let contentType = request.headers[.contentType] ?? "application/octet-stream"
        switch kind {
        case .state:
            try box.putState(
                activityId: t.activityId, agent: t.agent, registration: t.registration, stateId: id, body: body, contentType: contentType,
                merge: merge, precondition: xapi.precondition())
        case .agentProfile:
            try box.putAgentProfile(
                agent: t.agent, profileId: id, body: body, contentType: contentType, merge: merge,
                precondition: xapi.precondition(requiredToOverwrite: !merge))
        case .activityProfile:
            try box.putActivityProfile(
                activityId: t.activityId, profileId: id, body: body, contentType: contentType, merge: merge,
                precondition: xapi.precondition(requiredToOverwrite: !merge))
        }
        return XAPIResponse.noContent()
    }

    /// DELETE one document, or (state only) all of the activity, agent and registration.
    func delete(_ kind: Kind, _ request: Request) async throws -> Response {
        let xapi = try XAPIRequest(request: request, box: box, gate: gate, origins: origins)
        let t = try target(kind, xapi)
        switch kind {
        case .state:
            try box.deleteState(activityId: t.activityId, agent: t.agent, registration: t.registration, stateId: t.id, precondition: xapi.precondition())
        case .agentProfile:
            guard let id = t.id else { throw XAPIError.badRequest("the profileId parameter is required") }
            try box.deleteAgentProfile(agent: t.agent, profileId: id, precondition: xapi.precondition())
        case .activityProfile:
            guard let id = t.id else { throw XAPIError.badRequest("the profileId parameter is required") }
            try box.deleteActivityProfile(activityId: t.activityId, profileId: id, precondition: xapi.precondition())
        }
        return XAPIResponse.noContent()
    }
}
