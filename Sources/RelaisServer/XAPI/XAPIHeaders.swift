import HTTPTypes
import Hummingbird

/// The HTTP names the xAPI resources use (xAPI-Communication 1.3, 2.1.3, 3.1).
enum XAPIHeaders {
    /// The only version this LRS speaks; every response says so.
    static let version = "1.0.3"
    static let versionName = HTTPField.Name("X-Experience-API-Version")!
    static let consistentThrough = HTTPField.Name("X-Experience-API-Consistent-Through")!

    /// Headers a browser's script may read from another origin.
    static let exposed = "X-Experience-API-Version, X-Experience-API-Consistent-Through, ETag, Last-Modified, Content-Type"
    /// Headers content on the content origin sends (preflighted).
    static let allowed = "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match"
    static let methods = "GET, HEAD, PUT, POST, DELETE, OPTIONS"
}
