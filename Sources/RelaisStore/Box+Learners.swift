import Foundation
import GRDB
import RelaisXAPI

/// A local user of the box who launches content. Its `id` is the local user id that the box's
/// pseudonymizer turns into the statements' actor; the first name stays on the box.
public struct Learner: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "learner"

    /// How the box knows the learner: a guest who typed a first name on the catalogue's launch
    /// form, a pupil of a class (table `pupil`), or a staff member using training modules.
    public enum Kind: String, Codable, Sendable { case guest, pupil, staff }

    /// A UUID in lowercase text: the local user id.
    public var id: String
    public var firstName: String
    public var kind: Kind
    public var createdAt: Int64

    public init(id: UUID = UUID(uuidString: StatementID.random()) ?? UUID(), firstName: String, kind: Kind = .guest, createdAt: Int64) {
        self.id = id.uuidString.lowercased()
        self.firstName = firstName
        self.kind = kind
        self.createdAt = createdAt
    }

    /// The local user id as the pseudonymizer takes it (lowercase UUID text).
    public var localUserID: String { id }

    /// A first name as typed, trimmed and with inner runs of spaces collapsed; nil when empty
    /// or longer than 60 characters.
    public static func normalizedFirstName(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        let name = words.joined(separator: " ")
        guard !name.isEmpty, name.count <= 60, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return name
    }

    enum LearnerColumns {
        static let id = Column("id")
        static let kind = Column("kind")
    }
}

extension Box {
    /// The guest learner with this first name (compared without regard to case or accents), created
    /// at the first launch: a pupil who types the same first name on the same box finds their
    /// progress again.
    public func guestLearner(firstName: String, now: Date = Date()) throws -> Learner {
        guard let name = Learner.normalizedFirstName(firstName) else { throw StoreError.database("a first name is required") }
        let key = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
        return try database.write { db in
            let guests = try Learner.filter(Learner.LearnerColumns.kind == Learner.Kind.guest.rawValue).fetchAll(db)
            if let known = guests.first(where: {
                $0.firstName.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR")) == key
            }) {
                return known
            }
            let learner = Learner(firstName: name, kind: .guest, createdAt: Int64(now.timeIntervalSince1970))
            try learner.insert(db)
            return learner
        }
    }

    /// The learner with this local user id, if the box knows it.
    public func learner(id: UUID) throws -> Learner? {
        try database.read { db in try Learner.filter(Learner.LearnerColumns.id == id.uuidString.lowercased()).fetchOne(db) }
    }
}
