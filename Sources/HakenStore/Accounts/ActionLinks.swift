import Crypto
import Fluent
import Foundation
import HakenCore
import SQLKit

/// Signed, expiring, single-use links. The token is `<row id>.<HMAC>`: the HMAC covers the
/// row's id, purpose, subject and end under a key derived from the audit key (kept outside
/// the database), so someone who can write the database still cannot make a working link;
/// the row's `used_at` makes it work once, and its end makes it expire.
public enum ActionLinks {
    public enum Purpose: String, Sendable, CaseIterable {
        /// REG-1: the sign-up's address belongs to the person signing up.
        case signup
        case passwordReset = "password_reset"
        /// The secretariat invites institution staff and experts.
        case invitation
        /// AFT-2: the business certifies one dispatch and rates the expert.
        case certification
        /// DEC-10: the holder of a business's mobile address confirms it.
        case mobileVerification = "mobile_verification"

        public var lifetime: TimeInterval {
            switch self {
            case .signup: return 24 * 3600
            case .passwordReset: return 3600
            case .invitation: return 7 * 24 * 3600
            case .certification: return 30 * 24 * 3600
            case .mobileVerification: return 7 * 24 * 3600
            }
        }
    }

    public enum Lookup: Sendable {
        case valid(ActionLinkModel)
        case used(ActionLinkModel)
        case expired(ActionLinkModel)
        /// Not a link we made (mistyped, forged, or for another purpose).
        case unknown
    }

    /// A new link's token, for a row created in the caller's transaction.
    public static func issue(_ purpose: Purpose, subject: UUID, data: String? = nil, on db: Database, key: AuditKey, now: Date) async throws -> String {
        let id = UUID()
        let expires = now.addingTimeInterval(purpose.lifetime)
        let row = ActionLinkModel(id: id, purpose: purpose.rawValue, subjectID: subject, data: data, expiresAt: expires, createdAt: now)
        try await row.create(on: db)
        return "\(id.uuidString.lowercased()).\(tag(row, key: key))"
    }

    /// Where a token stands, without using it.
    public static func look(_ token: String, _ purpose: Purpose, on db: Database, key: AuditKey, now: Date) async throws -> Lookup {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard token.utf8.count <= 200, parts.count == 2, let id = UUID(uuidString: String(parts[0])),
              let row = try await ActionLinkModel.find(id, on: db), row.purpose == purpose.rawValue,
              constantTimeEqual(String(parts[1]), tag(row, key: key)) else { return .unknown }
        if row.usedAt != nil { return .used(row) }
        if row.expiresAt < now { return .expired(row) }
        return .valid(row)
    }

    /// Marks the link used, once: of two requests racing with the same link, exactly one
    /// gets true. Call in the transaction that does what the link allows.
    public static func consume(_ row: ActionLinkModel, on db: Database, now: Date) async throws -> Bool {
        let updated = try await db.sql().update(ActionLinkModel.schema)
            .set("used_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(try row.requireID()))
            .where("used_at", .is, SQLLiteral.null)
            .returning("id")
            .all()
        return updated.count == 1
    }

    /// Ends every unused link of this purpose and subject (a new password-reset link
    /// replaces the last; a finished sign-up ends its other links).
    public static func revokeAll(_ purpose: Purpose, subject: UUID, on db: Database, now: Date) async throws {
        try await db.sql().update(ActionLinkModel.schema)
            .set("used_at", to: SQLBind(now))
            .where("purpose", .equal, SQLBind(purpose.rawValue))
            .where("subject_id", .equal, SQLBind(subject))
            .where("used_at", .is, SQLLiteral.null)
            .run()
    }

    static func tag(_ row: ActionLinkModel, key: AuditKey) -> String {
        let fields = [row.id?.uuidString.lowercased() ?? "-", row.purpose, row.subjectID.uuidString.lowercased(),
                      String(Int(row.expiresAt.timeIntervalSince1970)), row.data ?? ""].joined(separator: "\n")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(fields.utf8), using: SymmetricKey(data: Data(key.sign("haken-action-links-v1").utf8)))
        return SecretToken.base64URL(Data(mac))
    }
}
