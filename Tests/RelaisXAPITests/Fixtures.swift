import RelaisCore
import RelaisXAPI
import Testing

/// A valid statement to start tests from; each test breaks one field.
func sampleStatement(_ edit: (inout [String: JSONValue]) -> Void = { _ in }) -> JSONValue {
    var members: [String: JSONValue] = [
        "actor": ["objectType": "Agent", "name": "Léa Martin", "mbox": "mailto:lea@example.fr"],
        "verb": ["id": "http://adlnet.gov/expapi/verbs/completed", "display": ["fr-FR": "a terminé"]],
        "object": ["id": "https://relais.invalid/activities/calcul", "definition": ["name": ["fr": "Calcul"]]],
    ]
    edit(&members)
    return .object(members)
}

/// The message of the 400 that validating `statement` throws, nil when it is valid.
func refusal(_ statement: JSONValue) -> String? {
    do {
        try StatementValidator.validate(statement)
        return nil
    } catch {
        #expect(error.status == 400)
        return error.message
    }
}
