import Fluent
import Foundation
import HakenCore

/// DEC-10: a business's mobile address counts for reports only once the person holding the
/// phone opened the link mailed to it. The link carries a random token; the database keeps
/// its SHA-256 in a row that makes it single-use and gives it an end.
public enum MobileVerification {
    /// How long a link works.
    public static let lifetime: TimeInterval = 7 * 24 * 3600

    /// A new link's token for the business's current mobile address (nil without one).
    /// Call inside the transaction that registers or changes the address.
    public static func issue(for business: BusinessModel, on db: Database, now: Date) async throws -> String? {
        guard let address = business.mobileEmailKey else { return nil }
        let token = SecretToken.generate()
        try await AddressVerificationModel(businessID: try business.requireID(), address: address, tokenHash: SecretToken.digest(token),
                                           expiresAt: now.addingTimeInterval(lifetime), createdAt: now).create(on: db)
        return token
    }

    public enum Outcome: Equatable, Sendable {
        case verified(business: String, address: String)
        /// Opened before (the address stays verified).
        case alreadyUsed
        case expired
        /// The business registered another mobile address since the link was sent.
        case addressChanged
        case unknown
    }

    /// What opening the link would do, without doing it (the page shows it before the button).
    public static func look(_ token: String, on db: Database, now: Date) async throws -> Outcome {
        try await check(token, on: db, now: now).outcome
    }

    /// Verifies the address the link was sent to, once; audited (NOTE-3).
    public static func confirm(_ token: String, on db: Database, key: AuditKey, now: Date) async throws -> Outcome {
        try await db.hakenTransaction { db in
            let (outcome, row, business) = try await check(token, on: db, now: now)
            guard case .verified = outcome, let row, let business else { return outcome }
            row.usedAt = now
            try await row.save(on: db)
            business.mobileVerifiedAt = now
            try await business.save(on: db)
            try await AuditLog.append(.init(actor: "link", action: "business.mobile.verify", subject: AuditLog.subject("business", business.id),
                                            details: ["address": row.address]), on: db, key: key, now: now)
            return outcome
        }
    }

    private static func check(_ token: String, on db: Database, now: Date) async throws
        -> (outcome: Outcome, row: AddressVerificationModel?, business: BusinessModel?) {
        guard token.count <= 100, let row = try await AddressVerificationModel.query(on: db)
            .filter(\.$tokenHash == SecretToken.digest(token)).first() else { return (.unknown, nil, nil) }
        if row.usedAt != nil { return (.alreadyUsed, row, nil) }
        if row.expiresAt < now { return (.expired, row, nil) }
        guard let business = try await BusinessModel.find(row.$business.id, on: db) else { return (.unknown, row, nil) }
        guard business.mobileEmailKey == row.address else { return (.addressChanged, row, business) }
        return (.verified(business: business.name, address: row.address), row, business)
    }
}
