import Crypto
import Fluent
import Foundation
import HakenCore
import SQLKit

/// #13: each party's private calendar feed. The URL carries a secret token; only its SHA-256
/// is stored, so the database cannot give a feed away. A party has at most one live feed:
/// issuing again replaces it (the old URL stops answering), which is how a leaked URL is rotated.
public enum CalendarFeeds {
    public static let table = "calendar_feeds"

    /// Whose dispatches a feed shows: the same parties as the permission policy's `.read`.
    public enum Party: Sendable, Equatable {
        case business(UUID)
        case institution(UUID)
        case expert(UUID)

        public init?(kind: String, id: UUID) {
            switch kind {
            case "business": self = .business(id)
            case "institution": self = .institution(id)
            case "expert": self = .expert(id)
            default: return nil
            }
        }

        public var kind: String {
            switch self {
            case .business: return "business"
            case .institution: return "institution"
            case .expert: return "expert"
            }
        }

        public var id: UUID {
            switch self {
            case .business(let id), .institution(let id), .expert(let id): return id
            }
        }

        /// Its dispatches, as its own list shows them.
        public var scope: DispatchListing.Scope {
            switch self {
            case .business(let id): return .business(id)
            case .institution(let id): return .institution(id)
            case .expert(let id): return .expert(id)
            }
        }
    }

    static func hash(_ token: String) -> String { SHA256.hash(data: Data(token.utf8)).hexString }

    /// A new secret for `party`, replacing the one it had; audited. Returns the token (shown once).
    public static func issue(for party: Party, actor: String, on db: Database, key: AuditKey, now: Date) async throws -> String {
        let token = SecretToken.generate()
        try await db.hakenTransaction { tx in
            let sql = try tx.sql()
            let replaced = try await sql.raw("SELECT id FROM calendar_feeds WHERE party_kind = \(bind: party.kind) AND party_id = \(bind: party.id)").first() != nil
            try await sql.raw("DELETE FROM calendar_feeds WHERE party_kind = \(bind: party.kind) AND party_id = \(bind: party.id)").run()
            try await sql.insert(into: table).columns("id", "party_kind", "party_id", "token_hash", "created_at")
                .values(SQLBind(UUID()), SQLBind(party.kind), SQLBind(party.id), SQLBind(hash(token)), SQLBind(now)).run()
            try await AuditLog.append(.init(actor: actor, action: replaced ? "calendar.rotate" : "calendar.issue",
                                            subject: AuditLog.subject(party.kind, party.id), details: [:]), on: tx, key: key, now: now)
        }
        return token
    }

    /// When the party's live feed was issued, or nil.
    public static func issuedAt(for party: Party, on db: Database) async throws -> Date? {
        try await db.sql().raw("SELECT created_at FROM calendar_feeds WHERE party_kind = \(bind: party.kind) AND party_id = \(bind: party.id)")
            .first()?.decode(column: "created_at", as: Date.self)
    }

    /// The party whose feed `token` opens, or nil (every wrong token alike).
    public static func party(forToken token: String, on db: Database) async throws -> Party? {
        guard (20...100).contains(token.utf8.count) else { return nil }
        guard let row = try await db.sql().raw("SELECT party_kind, party_id FROM calendar_feeds WHERE token_hash = \(bind: hash(token))").first() else {
            return nil
        }
        return Party(kind: try row.decode(column: "party_kind", as: String.self), id: try row.decode(column: "party_id", as: UUID.self))
    }
}
