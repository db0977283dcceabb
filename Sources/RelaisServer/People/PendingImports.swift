import Foundation
import RelaisStore
import Synchronization

/// CSV files uploaded for an import, kept in memory between the preview and « Confirmer »
/// (at most 30 minutes and 16 files; a restart asks to upload again). The token is random and
/// bound to the admin who uploaded it.
final class PendingImports: Sendable {
    enum Kind: Sendable, Equatable {
        case staff
        case pupils(classID: String)
    }

    struct Upload: Sendable {
        let kind: Kind
        let bytes: [UInt8]
        let personID: String
        let at: Date
    }

    private let uploads = Mutex<[String: Upload]>([:])
    static let lifetime: TimeInterval = 30 * 60

    func keep(_ upload: Upload) -> String {
        let token = Secrets.randomHex(bytes: 16)
        uploads.withLock { all in
            all = all.filter { Date().timeIntervalSince($0.value.at) < Self.lifetime }
            if all.count >= 16, let oldest = all.min(by: { $0.value.at < $1.value.at })?.key { all[oldest] = nil }
            all[token] = upload
        }
        return token
    }

    /// The upload of this token by this admin, removed (a confirmation is used once).
    func take(_ token: String, personID: String) -> Upload? {
        uploads.withLock { all in
            guard let upload = all[token], upload.personID == personID, Date().timeIntervalSince(upload.at) < Self.lifetime else { return nil }
            all[token] = nil
            return upload
        }
    }
}
