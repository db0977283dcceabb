import Foundation
import Hummingbird
import RelaisCore
import RelaisStore
import RelaisXAPI

/// Reading an xAPI request: credentials, parameters, body.
struct XAPIRequest {
    let request: Request
    let box: Box

    /// The scope of the Basic credentials sent (401 otherwise).
    func authenticate() throws -> CredentialScope {
        guard let header = request.headers[.authorization], header.count > 6, header.prefix(6).lowercased() == "basic ",
            let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        else { throw XAPIError.unauthorized("Basic credentials are required (relais credentials add, or the launch's)") }
        guard let scope = try box.authenticate(key: String(pair[..<colon]), secret: String(pair[pair.index(after: colon)...])) else {
            throw XAPIError.unauthorized("unknown or expired credentials")
        }
        return scope
    }

    func parameter(_ name: String) -> String? { request.uri.queryParameters.get(name) }

    func required(_ name: String) throws(XAPIError) -> String {
        guard let value = parameter(name), !value.isEmpty else { throw .badRequest("the \(name) parameter is required") }
        return value
    }

    /// Refuses parameters the resource does not know (xAPI-Communication 1.4: a request with an
    /// unrecognised parameter is a 400, so a typo is never silently ignored).
    func checkParameters(_ known: Set<String>) throws(XAPIError) {
        for (name, _) in request.uri.queryParameters where !known.contains(String(name)) {
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
        guard let value = parameter(name) else { return nil }
        guard let ms = XAPIFormat.timestampMilliseconds(value) else { throw .badRequest("\(name) is not an ISO 8601 date-time with a time zone") }
        return ms
    }

    func body() async throws -> [UInt8] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: XAPIHeaders.maxBody)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw XAPIError.tooLarge("the request body is over \(XAPIHeaders.maxBody / (1 << 20)) MiB: send fewer statements per request")
        }
        return Array(buffer.readableBytesView)
    }

    /// The body as JSON (400 naming what is wrong otherwise).
    func json() async throws -> JSONValue {
        if let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/") {
            throw XAPIError.badRequest("multipart requests (statement attachments) are not accepted: give attachments a fileUrl")
        }
        return try JSONValue(parsing: try await body())
    }

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
