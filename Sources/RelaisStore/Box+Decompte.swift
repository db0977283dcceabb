import Foundation
import GRDB
import RelaisCore

/// One line of the GAR décompte: how many distinct learners of each public used an abonnement.
public struct DecompteRow: Sendable, Equatable {
    public let uai: String
    public let abonnement: Abonnement
    public let usage: SeatUsage

    /// GAR's columns, in order.
    public static let header =
        "UAI;idAbonnement;codeProjetRessource;idRessource;cumulAffectationEleve;cumulAffectationEnseignant;cumulAffectationDocumentaliste;cumulAffectationAutrePersonnel"

    /// The CSV line. `codeProjetRessource` is empty: licence documents do not carry it.
    public var csvLine: String {
        [uai, abonnement.idAbonnement, "", abonnement.idRessource, String(usage.eleve), String(usage.enseignant),
         String(usage.documentaliste), String(usage.autrePersonnel)]
            .map(Self.field).joined(separator: ";")
    }

    /// A field quoted when it holds the separator, a quote or a line break (RFC 4180 style).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Box {
    /// Distinct learners who launched the abonnement's resource while it was valid, per public.
    ///
    /// Guests and pupils count as `ELEVE`, staff learners (training modules) as `ENSEIGNANT`.
    public func seatUsage(of abonnement: Abonnement) throws -> SeatUsage {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT l.kind, COUNT(DISTINCT l.id) FROM launch a JOIN learner l ON l.id = a.learnerId
                WHERE a.bundleId = ? AND a.createdAt BETWEEN ? AND ?
                GROUP BY l.kind
                """, arguments: [abonnement.idRessource, abonnement.debutValidite, abonnement.finValidite])
            var usage = SeatUsage()
            for row in rows {
                let kind: String = row[0]
                let count: Int = row[1]
                switch Learner.Kind(rawValue: kind) {
                case .guest, .pupil, nil: usage.eleve += count
                case .staff: usage.enseignant += count
                }
            }
            return usage
        }
    }

    /// The décompte: one row per abonnement of the licence document (empty without one).
    public func decompte() throws -> [DecompteRow] {
        guard let licence = try licenceDocument() else { return [] }
        return try licence.abonnements.map { DecompteRow(uai: licence.uai.value, abonnement: $0, usage: try seatUsage(of: $0)) }
    }

    /// The décompte as GAR's CSV (`;`-separated, header first, CRLF-free, ending with a newline).
    public func decompteCSV() throws -> String {
        ([DecompteRow.header] + (try decompte()).map(\.csvLine)).joined(separator: "\n") + "\n"
    }

    /// The abonnements whose distinct users exceed their seats (never a refusal: `relais status`
    /// shows these as warnings).
    public func seatWarnings() throws -> [SeatWarning] {
        try decompte().flatMap { $0.abonnement.seatWarnings(for: $0.usage) }
    }
}
