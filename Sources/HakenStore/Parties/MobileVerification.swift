import Fluent
import Foundation
import HakenCore

/// DEC-10: a business's mobile address counts for reports only once the person holding the
/// phone opened the link mailed to it. The link is one of the signed single-use links
/// (ActionLinks) and names the address it was sent to, so a link sent before the business
/// changed its mobile address verifies nothing.
public enum MobileVerification {
    /// A new link's token for the business's current mobile address (nil without one).
    /// Call inside the transaction that registers or changes the address.
    public static func issue(for business: BusinessModel, on db: Database, key: AuditKey, now: Date) async throws -> String? {
        guard let address = business.mobileEmailKey else { return nil }
        return try await ActionLinks.issue(.mobileVerification, subject: try business.requireID(), data: address, on: db, key: key, now: now)
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
    public static func look(_ token: String, on db: Database, key: AuditKey, now: Date) async throws -> Outcome {
        try await check(token, on: db, key: key, now: now).outcome
    }

    /// Verifies the address the link was sent to, once; audited (NOTE-3).
    public static func confirm(_ token: String, on db: Database, key: AuditKey, now: Date) async throws -> Outcome {
        try await db.hakenTransaction { db in
            let (outcome, row, business) = try await check(token, on: db, key: key, now: now)
            guard case .verified = outcome, let row, let business else { return outcome }
            guard try await ActionLinks.consume(row, on: db, now: now) else { return .alreadyUsed }
            business.mobileVerifiedAt = now
            try await business.save(on: db)
            try await AuditLog.append(.init(actor: "link", action: "business.mobile.verify", subject: AuditLog.subject("business", business.id),
                                            details: ["address": row.data ?? ""]), on: db, key: key, now: now)
            return outcome
        }
    }

    private static func check(_ token: String, on db: Database, key: AuditKey, now: Date) async throws
        -> (outcome: Outcome, row: ActionLinkModel?, business: BusinessModel?) {
        switch try await ActionLinks.look(token, .mobileVerification, on: db, key: key, now: now) {
        case .unknown: return (.unknown, nil, nil)
        case .used: return (.alreadyUsed, nil, nil)
        case .expired: return (.expired, nil, nil)
        case .valid(let row):
            guard let business = try await BusinessModel.find(row.subjectID, on: db) else { return (.unknown, row, nil) }
            guard business.mobileEmailKey == row.data else { return (.addressChanged, row, business) }
            return (.verified(business: business.name, address: row.data ?? ""), row, business)
        }
    }
}
