import Foundation
import Hummingbird
import RelaisContent
import RelaisCore
import RelaisStore
import RelaisXAPI

/// `/xapi/activities?activityId=` (xAPI-Communication 2.5): the Activity with the canonical
/// definition the LRS has seen (just its id when none); `/xapi/agents?agent=` (2.6): the Person
/// object of everything the LRS knows of that agent.
struct ResourcesEndpoint {
    let box: Box
    let gate: BodyGate
    /// The bundles' own origins: a launch's credential is taken from its bundle's pages only.
    let origins: BundleOriginMap

    func activity(_ request: Request) async throws -> Response {
        let xapi = try XAPIRequest(request: request, box: box, gate: gate, origins: origins)
        try xapi.checkParameters(["activityId"])
        _ = try xapi.authenticate()
        let id = try xapi.iri("activityId")
        var activity: [String: JSONValue] = ["objectType": "Activity", "id": .string(id)]
        activity["definition"] = try box.activityDefinition(id: id)
        return XAPIResponse.json(.ok, JSONValue.object(activity).serialized())
    }

    func person(_ request: Request) async throws -> Response {
        let xapi = try XAPIRequest(request: request, box: box, gate: gate, origins: origins)
        try xapi.checkParameters(["agent"])
        let scope = try xapi.authenticate()
        let agent = try AgentIdentity.agentParameter(try xapi.required("agent"))
        try scope.checkDocument(agentKey: agent.key, registration: nil)
        let person = try box.person(agent: agent.agent, scope: scope)
        return XAPIResponse.json(.ok, person.serialized())
    }
}
