/// What one push did, for the summary line of `relais sync` and the logs of `relais serve`.
public struct PushReport: Sendable, Equatable {
    /// Statements the upstream LRS acknowledged (200/204), now out of the outbox.
    public var acknowledged = 0
    /// Statements the upstream LRS refused alone (400/409/413/422), put in quarantine by this push.
    public var quarantined = 0
    /// Quarantined statements put back in line at the start (`--retry-quarantined`).
    public var released = 0
    /// POST requests sent, retries and bisections included.
    public var requests = 0
    /// Bytes of statement arrays sent.
    public var bytesSent: Int64 = 0
    /// The batch size in force at the end (smaller than configured after a 413).
    public var batchSize = 0
    /// Left in the outbox after the push: waiting, and in quarantine.
    public var pending = 0
    public var quarantinedTotal = 0
    /// The push stopped because its window closed (background push only).
    public var windowClosed = false

    public init() {}

    /// One French line, e.g. `envoi au LRS : 120 déclaration(s) acquittée(s), 0 en attente, 1 en quarantaine`.
    public var frenchSummary: String {
        var line = "envoi au LRS : \(acknowledged) déclaration(s) acquittée(s)"
        if released > 0 { line += ", \(released) sortie(s) de quarantaine pour un nouvel essai" }
        if quarantined > 0 { line += ", \(quarantined) refusée(s) mise(s) en quarantaine" }
        line += ", \(pending) en attente"
        if quarantinedTotal > 0 {
            line += ", \(quarantinedTotal) en quarantaine (relais status pour les raisons, relais sync --once --retry-quarantined pour les renvoyer)"
        }
        if windowClosed { line += " (fenêtre d'envoi upstream.window fermée)" }
        return line
    }
}
