import Foundation

/// The portal paths the pages link to and post to. The routes must answer these paths.
public enum PortalPaths {
    public static let catalogue = "/catalogue"
    public static let signIn = "/connexion"
    /// POST login, reset code, new password twice.
    public static let newPassword = "/connexion/nouveau-mot-de-passe"
    public static let signOut = "/deconnexion"
    public static let admin = "/admin"
    /// POST of the first visit: setup code, names, password twice.
    public static let adminSetup = "/admin/installation"
    public static let staff = "/admin/personnel"
    public static let staffImport = "/admin/personnel/import"
    public static let importConfirm = "/admin/import/confirmer"
    public static let classes = "/admin/classes"
    public static let teacher = "/enseignant"
    /// The séance prête (issue 10).
    public static let newSeance = "/enseignant/seances/nouvelle"
    public static let seances = "/enseignant/seances"
    public static let openAccess = "/enseignant/acces-libre"
    public static let substitute = "/remplacant"
    public static let pupilHome = "/"
    public static let pupilJoin = "/rejoindre"
    public static let pupilActivities = "/eleve"
    public static let pupilLeave = "/eleve/sortir"

    public static func seance(_ id: String) -> String { "/enseignant/seances/\(URLs.segment(id))" }
    public static func seanceAction(_ id: String, _ action: String) -> String { "/enseignant/seances/\(URLs.segment(id))/\(action)" }
    public static func seanceActivity(_ id: String, _ position: Int, _ move: String) -> String {
        "/enseignant/seances/\(URLs.segment(id))/activites/\(position)/\(move)"
    }
    public static func seanceReportCSV(_ id: String) -> String { "/enseignant/seances/\(URLs.segment(id))/rapport.csv" }
    public static func substituteSeance(_ id: String) -> String { "/remplacant/\(URLs.segment(id))" }
    public static func substituteAction(_ id: String, _ action: String) -> String { "/remplacant/\(URLs.segment(id))/\(action)" }
    /// The page a join code's QR opens: the pupil's name list.
    public static func joinCode(_ code: String) -> String { "/s/\(URLs.segment(code))" }
    public static func pupilLaunch(_ position: Int) -> String { "/eleve/activites/\(position)" }

    public static func staffResetCode(_ id: String) -> String { "/admin/personnel/\(URLs.segment(id))/code" }
    public static func staffDisable(_ id: String) -> String { "/admin/personnel/\(URLs.segment(id))/desactiver" }
    public static func adminClass(_ id: String) -> String { "/admin/classes/\(URLs.segment(id))" }
    public static func classPupils(_ id: String) -> String { "/admin/classes/\(URLs.segment(id))/eleves" }
    public static func classPupilsImport(_ id: String) -> String { "/admin/classes/\(URLs.segment(id))/eleves/import" }
    public static func classPupilRemove(_ classID: String, _ pupilID: String) -> String {
        "/admin/classes/\(URLs.segment(classID))/eleves/\(URLs.segment(pupilID))/retirer"
    }
    public static func classDelete(_ id: String) -> String { "/admin/classes/\(URLs.segment(id))/supprimer" }
}

enum URLs {
    private static let segmentAllowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()

    /// One path segment, percent-encoded.
    static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: segmentAllowed) ?? ""
    }

    /// A link the data gives: a path on this origin or an http(s) URL; anything else (a
    /// `javascript:` URL, a scheme-relative `//host`) becomes `#`.
    static func safe(_ url: String) -> String {
        if url.hasPrefix("/"), !url.hasPrefix("//"), !url.hasPrefix("/\\") { return url }
        let lower = url.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") { return url }
        return "#"
    }

    /// An image the server drew (a QR code, a chart): an SVG data URL in base64, or a path on this
    /// origin; anything else becomes `#`.
    static func image(_ url: String) -> String {
        let prefix = "data:image/svg+xml;base64,"
        if url.hasPrefix(prefix) {
            let payload = url.dropFirst(prefix.count)
            return payload.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) }) ? url : "#"
        }
        let safe = safe(url)
        return safe.hasPrefix("/") ? safe : "#"
    }

    /// A portal path in the page's language: `?lang=en` added for English.
    static func localized(_ path: String, _ language: Language) -> String {
        let path = safe(path)
        guard language == .en, path != "#" else { return path }
        return path + (path.contains("?") ? "&" : "?") + "lang=en"
    }

    /// The same page in the other language: the path and its query without `lang`, plus `lang=`.
    static func switching(_ path: String, to language: Language) -> String {
        var path = safe(path)
        if path == "#" || path.hasPrefix("http") { path = "/" }
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let base = String(parts[0])
        var query = parts.count > 1 ? parts[1].split(separator: "&").map(String.init) : []
        query.removeAll { $0 == "lang" || $0.hasPrefix("lang=") }
        query.append("lang=\(language.rawValue)")
        return base + "?" + query.joined(separator: "&")
    }
}
