import RelaisCore

extension JSONValue {
    /// Parses a statement or a document as the LRS reads it: strictly (RelaisCore's reader), any
    /// finite number allowed; refused with a 400 that names the byte and what is wrong.
    public init(parsing bytes: some Collection<UInt8>) throws(XAPIError) {
        do {
            self = try JSONValue(parsing: bytes, numbers: .integersAndFractions)
        } catch {
            throw .badRequest(error.description)
        }
    }

    /// Parses JSON text as the LRS reads it.
    public init(parsing text: String) throws(XAPIError) {
        try self.init(parsing: Array(text.utf8))
    }
}
