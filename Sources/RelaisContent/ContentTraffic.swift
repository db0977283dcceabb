/// Told of every response the content origins write, once, when its status and body length are
/// decided (a body cut short by the client is still counted whole). Called on the event loop:
/// an implementation must be cheap and thread-safe (counter increments, no I/O).
public protocol ContentTrafficObserver: Sendable {
    /// `bundleOrigin`: answered on a bundle's own port; false: the shared content port.
    func responded(status: Int, bodyBytes: Int64, bundleOrigin: Bool)
}

extension ContentConnectionHandler {
    /// Reports one response to the configured observer, if any.
    @inline(__always)
    func count(_ status: Int, bodyBytes: Int64) {
        guard let traffic = origin.configuration.traffic else { return }
        if case .bundle = scope {
            traffic.responded(status: status, bodyBytes: bodyBytes, bundleOrigin: true)
        } else {
            traffic.responded(status: status, bodyBytes: bodyBytes, bundleOrigin: false)
        }
    }
}
