import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RelaisStore
import RelaisTestSupport

/// Requests to the local LRS as content would send them.
struct XAPIClient {
    let authorization: String

    init(key: String, secret: String) {
        authorization = "Basic " + Data("\(key):\(secret)".utf8).base64EncodedString()
    }

    func headers(_ extra: HTTPFields = [:], version: Bool = true) -> HTTPFields {
        var headers = extra
        headers[.authorization] = authorization
        if version { headers[HTTPField.Name("X-Experience-API-Version")!] = "1.0.3" }
        if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return headers
    }
}

extension TestBox {
    /// A provider credential's client.
    func providerClient() throws -> XAPIClient {
        let credential = try box.addCredential(name: "test")
        return XAPIClient(key: credential.key, secret: credential.secret)
    }
}

let versionHeader = HTTPField.Name("X-Experience-API-Version")!

/// A query parameter, percent-encoded.
func encoded(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
}

/// The body as Foundation JSON, nil when it is not JSON.
func jsonAny(_ buffer: ByteBuffer) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(buffer: buffer), options: [.fragmentsAllowed])
}

func statementJSON(id: String? = nil, mbox: String = "mailto:lea@example.fr", verb: String = "http://adlnet.gov/expapi/verbs/completed") -> String {
    let idPart = id.map { #""id":"\#($0)","# } ?? ""
    return #"{\#(idPart)"actor":{"mbox":"\#(mbox)","name":"Léa"},"verb":{"id":"\#(verb)"},"object":{"id":"https://relais.invalid/a/1"}}"#
}
