import Foundation
import Hummingbird
import RelaisContent
import RelaisCore
import RelaisStore
import RelaisXAPI

/// `/xapi/activities/state` (xAPI-Communication 2.3) and `/xapi/agents/profile` (2.6): one
/// document by id, or the list of ids (`since`) when the id is absent.
struct DocumentsEndpoint {
    let box: Box

    enum Kind {
        case state, agentProfile

        var idName: String { self == .state ? "stateId" : "profileId" }
        var parameters: Set<String> {
            self == .state ? ["activityId", "agent", "registration", "stateId", "since"] : ["agent", "profileId", "since"]
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
        let agent = try AgentIdentity.agentParameter(try xapi.required("agent"))
        let target = Target(
            activityId: kind == .state ? try xapi.iri("activityId") : "", agent: agent.agent,
            registration: kind == .state ? try xapi.registration() : nil, id: xapi.parameter(kind.idName))
        try scope.checkDocument(agentKey: agent.key, registration: target.registration)
        return target
    }

    func get(_ kind: Kind, _ request: Request) async throws -> Response {
        let xapi = XAPIRequest(request: request, box: box)
        let t = try target(kind, xapi)
        guard let id = t.id else {
            let since = try xapi.time("since")
            let ids = kind == .state
                ? try box.stateIds(activityId: t.activityId, agent: t.agent, registration: t.registration, since: since)
                : try box.agentProfileIds(agent: t.agent, since: since)
            return XAPIResponse.json(.ok, JSONValue.array(ids.map(JSONValue.string)).serialized())
        }
        let document = kind == .state
            ? try box.state(activityId: t.activityId, agent: t.agent, registration: t.registration, stateId: id)
            : try box.agentProfile(agent: t.agent, profileId: id)
        guard let document else { throw XAPIError.notFound("no document \(id)") }
        let headers: HTTPFields = [
            .contentType: document.contentType, .eTag: "\"\(document.etag)\"", .cacheControl: "no-store",
            .lastModified: HTTPDate.format(document.updated / 1000),
        ]
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document.body)))
    }

    /// PUT replaces, POST merges JSON objects; 204 either way.
    func write(_ kind: Kind, _ request: Request, merge: Bool) async throws -> Response {
        let xapi = XAPIRequest(request: request, box: box)
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
        }
        return XAPIResponse.noContent()
    }

    /// DELETE one document, or (state only) all of the activity, agent and registration.
    func delete(_ kind: Kind, _ request: Request) async throws -> Response {
        let xapi = XAPIRequest(request: request, box: box)
        let t = try target(kind, xapi)
        switch kind {
        case .state:
            try box.deleteState(activityId: t.activityId, agent: t.agent, registration: t.registration, stateId: t.id, precondition: xapi.precondition())
        case .agentProfile:
            guard let id = t.id else { throw XAPIError.badRequest("the profileId parameter is required") }
            try box.deleteAgentProfile(agent: t.agent, profileId: id, precondition: xapi.precondition())
        }
        return XAPIResponse.noContent()
    }
}
