import Foundation
import Hummingbird
import RelaisContent
import RelaisCore
import RelaisStore
import RelaisXAPI

/// Reading an xAPI request: credentials, parameters, body.
struct XAPIRequest {
    let request: Request
    let box: Box
    /// The query string, form-decoded once (`+` is a space): every parameter of every xAPI
    /// resource is read from here, never from Hummingbird's `queryParameters`.
    let query: FormEncoded
    /// The large-body gate of this application (one per router, so two apps do not share it).
    let gate: BodyGate
    /// The bundles' own origins (a launch's credential is taken from its bundle's pages only).
    let origins: BundleOriginMap

    init(request: Request, box: Box, gate: BodyGate, origins: BundleOriginMap) throws(XAPIError) {
        self.request = request
        self.box = box
        self.gate = gate
        self.origins = origins
        do { query = try FormEncoded(request.uri.query) } catch { throw XAPIError.badRequest(error.description) }
    }

    /// The scope of the Basic credentials sent (401 otherwise).
    func authenticate() throws -> CredentialScope {
        guard let header = request.headers[.authorization], header.count > 6, header.prefix(6).lowercased() == "basic ",
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        else { throw XAPIError.unauthorized("Basic credentials are required (relais credentials add, or the launch's)") }
        guard let scope = try box.authenticate(key: String(pair[..<colon]), secret: String(pair[pair.index(after: colon)...])) else {
            throw XAPIError.unauthorized("unknown or expired credentials")
        }
        try checkOrigin(of: scope)
        return scope
    }

    /// A launch's credential sent by a page is taken only from its bundle's own origin (or the
    /// portal's): another bundle that got hold of it cannot write in that learner's name. Provider
    /// credentials (`relais credentials add`) serve activity providers of any origin.
    func checkOrigin(of scope: CredentialScope) throws(XAPIError) {
        guard case .launch(_, _, let registration) = scope, let origin = request.headers[.origin] else { return }
        if origin == request.head.authority.map({ "http://\($0)" }) { return }
        guard let host = request.head.authority.flatMap(HostAuthority.init)?.host else { throw .forbidden("the request's Host is not a host name") }
        let bundles = Set(((try? box.launches(registration: registration)) ?? []).map(\.bundleId))
        guard bundles.contains(where: { id in origins.port(of: id).map { "http://\(host):\($0)" } == origin }) else {
            throw .forbidden("this launch's credentials are accepted from its own bundle's pages only")
        }
    }

    func parameter(_ name: String) -> String? { query[name] }

    func required(_ name: String) throws(XAPIError) -> String {
        guard let value = parameter(name), !value.isEmpty else { throw .badRequest("the \(name) parameter is required") }
        return value
    }

    /// Refuses parameters the resource does not know (xAPI-Communication 1.4: a request with an
    /// unrecognised parameter is a 400, so a typo is never silently ignored).
    func checkParameters(_ known: Set<String>) throws(XAPIError) {
        for name in query.names where !known.contains(name) {
            throw .badRequest("\(name) is not a parameter of \(request.uri.path)")
        }
    }

    /// A parameter that is an IRI.
    func iri(_ name: String) throws(XAPIError) -> String {
        let value = try required(name)
        guard XAPIFormat.isIRI(value) else { throw .badRequest("\(name) is not an IRI") }
        return value
    }

    /// `registration`, a UUID when present.
    func registration() throws(XAPIError) -> String? {
        guard let value = parameter("registration") else { return nil }
        guard XAPIFormat.isUUID(value) else { throw .badRequest("registration is not a UUID") }
        return value
    }

    /// A timestamp parameter (`since`, `until`) in ms.
    func time(_ name: String) throws(XAPIError) -> Int64? {
        guard var value = parameter(name) else { return nil }
        // RFC 3339 allows a space for the `T` (Python's str(datetime) writes one).
        if value.utf8.count > 10, value.utf8[value.utf8.index(value.utf8.startIndex, offsetBy: 10)] == 0x20 {
            value = String(value.prefix(10)) + "T" + String(value.dropFirst(11))
        }
        // A `+01:00` offset sent unencoded reads as ` 01:00` once `+` is a space; a timestamp
        // holds no other space, so it can only be that.
        value = value.replacingOccurrences(of: " ", with: "+")
        guard let ms = XAPIFormat.timestampMilliseconds(value) else { throw .badRequest("\(name) is not an ISO 8601 date-time with a time zone") }
        return ms
    }

    /// The whole body (documents), within the LRS's limit.
    func body() async throws -> [UInt8] { try await withBody(what: "the document") { $0 } }

    /// If-Match / If-None-Match, unquoted.
    func precondition(requiredToOverwrite: Bool = false) -> DocumentPrecondition {
        func unquoted(_ value: String?) -> String? {
            guard var value = value?.trimmingCharacters(in: .whitespaces) else { return nil }
            if value.hasPrefix("W/") { value.removeFirst(2) }
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return DocumentPrecondition(
            ifMatch: unquoted(request.headers[.ifMatch]), ifNoneMatch: unquoted(request.headers[.ifNoneMatch]),
            requiredToOverwrite: requiredToOverwrite)
    }
}
