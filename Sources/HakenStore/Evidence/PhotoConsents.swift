import Fluent
import Foundation
import HakenCore

/// AFT-1: the photo consent register, one row per business and fiscal year. The one writer
/// of consent candidates, for mail (MailBatch) and for the institution's page alike: an
/// accepted consent stays as it is; anything else becomes a candidate for the secretariat.
public enum PhotoConsents {
    /// Records a candidate; false when the year's consent was accepted already.
    @discardableResult
    public static func recordCandidate(businessID: UUID, fiscalYear: FiscalYear, receivedAt: Date, note: String, source: String,
                                       file: String? = nil, on db: Database) async throws -> Bool {
        let existing = try await PhotoConsentModel.query(on: db)
            .filter(\.$business.$id == businessID).filter(\.$fiscalYear == fiscalYear.startYear).first()
        guard existing?.status != EvidenceStatus.accepted.rawValue else { return false }
        let model = existing ?? PhotoConsentModel(businessID: businessID, fiscalYear: fiscalYear, status: .review, receivedAt: receivedAt, note: nil)
        model.status = EvidenceStatus.review.rawValue
        model.receivedAt = receivedAt
        model.note = note
        model.source = source
        if let file { model.filePath = file }
        try await model.save(on: db)
        return true
    }

    public static func find(businessID: UUID, fiscalYear: FiscalYear, on db: Database) async throws -> PhotoConsentModel? {
        try await PhotoConsentModel.query(on: db).filter(\.$business.$id == businessID).filter(\.$fiscalYear == fiscalYear.startYear).first()
    }
}

extension PhotoConsents {
    /// A consent with its business's name, for the secretariat's register.
    public struct Listed: Sendable {
        public var consent: PhotoConsentModel
        public var businessName: String
    }

    /// The candidates waiting for the secretariat, oldest first.
    public static func waiting(on db: Database, limit: Int = 200) async throws -> [Listed] {
        let rows = try await PhotoConsentModel.query(on: db).filter(\.$status == EvidenceStatus.review.rawValue)
            .sort(\.$receivedAt).limit(limit).with(\.$business).all()
        return rows.map { Listed(consent: $0, businessName: $0.business.name) }
    }

    public enum DecisionProblem: Error, Equatable { case notWaiting }

    /// AFT-1: the secretariat accepts a candidate (it then covers every dispatch of that
    /// business's fiscal year) or rejects it with the reason; audited (NOTE-3).
    public static func decide(_ id: UUID, accept: Bool, reason: String?, by actor: String, on db: Database, key: AuditKey, now: Date) async throws {
        try await db.hakenTransaction { tx in
            guard let consent = try await PhotoConsentModel.find(id, on: tx), consent.status == EvidenceStatus.review.rawValue else {
                throw DecisionProblem.notWaiting
            }
            consent.status = (accept ? EvidenceStatus.accepted : .rejected).rawValue
            consent.note = accept ? "事務局が確認（受理）" : "事務局が不受理: \(reason ?? "")"
            try await consent.save(on: tx)
            var details = ["fiscalYear": String(consent.fiscalYear), "source": consent.source ?? "mail"]
            details["reason"] = reason
            try await AuditLog.append(.init(actor: actor, action: accept ? "consent.accept" : "consent.reject",
                                            subject: AuditLog.subject("business", consent.$business.id), details: details), on: tx, key: key, now: now)
        }
    }
}
