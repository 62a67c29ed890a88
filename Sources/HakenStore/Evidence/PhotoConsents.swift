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
