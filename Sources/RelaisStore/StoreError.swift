#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import RelaisCore

/// What went wrong in the store, said so that the admin knows what to do next.
public enum StoreError: Error, CustomStringConvertible {
    case notInitialized(String)
    case alreadyInitialized(String)
    case io(String, path: String, errno: Int32)
    case busy(String)
    case unknownConfigKey(String, known: [String])
    case invalidConfigValue(key: String, String)
    case database(String)
    case secretUnreadable(String)
    /// The database was migrated by a newer Relais (a downgrade): `unknown` migrations, this binary's last is `known`.
    case newerSchema(unknown: [String], known: String)

    public var description: String {
        switch self {
        case .notInitialized(let dir):
            return "\(dir) is not a Relais data folder; create it with `relais init --data \(dir) --uai UAI`"
        case .alreadyInitialized(let dir):
            return "\(dir) already holds a Relais box (relais.sqlite); choose another folder or keep this one"
        case .io(let what, let path, let code):
            return "\(what) \(path): \(String(cString: strerror(code))); check the disk space and permissions of the data folder"
        case .busy(let dir):
            return "another relais command is writing to \(dir) (import or sync in progress); wait for it to finish and retry"
        case .unknownConfigKey(let key, let known):
            return "unknown setting « \(key) »; known settings: \(known.joined(separator: ", "))"
        case .invalidConfigValue(let key, let why):
            return "invalid value for \(key): \(why)"
        case .secretUnreadable(let path):
            return "\(path) is missing, unreadable or shorter than 32 bytes; restore it from the box's backup (a new secret would give every pupil a new pseudonym upstream)"
        case .database(let why):
            return "database error: \(why); run `relais doctor --data DIR`"
        case .newerSchema(let unknown, let known):
            return "ce dossier de données a été écrit par un Relais plus récent / this data folder was written by a newer Relais "
                + "(schema \(unknown.joined(separator: ", ")); this is Relais \(RelaisVersion.current), schema \(known): "
                + "install that newer Relais again (apt install ./relais_VERSION_amd64.deb), or restore a backup made by this version (relais restore)"
        }
    }
}
