import Fluent
import Foundation
import HakenCore

/// Reads what the derive function needs about a dispatch from the database (written by
/// `EvidenceWriter`).
public enum DispatchRecords {
    /// The evidence of a dispatch as the domain sees it: its own rows, plus the business's
    /// photo consent for the dispatch's fiscal year (AFT-1).
    public static func facts(for dispatch: DispatchModel, on database: Database) async throws -> DispatchFacts {
        try await records(for: dispatch, on: database).facts
    }

    /// The facts together with the rows they were read from (for views that show notes and times).
    public static func records(for dispatch: DispatchModel, on database: Database) async throws
        -> (facts: DispatchFacts, rows: [EvidenceModel], consent: PhotoConsentModel?) {
        let rows = try await EvidenceModel.query(on: database).filter(\.$dispatch.$id == dispatch.requireID()).all()
        let consent = try await PhotoConsentModel.query(on: database)
            .filter(\.$business.$id == dispatch.$business.id)
            .filter(\.$fiscalYear == dispatch.fiscalYear().startYear)
            .first()
        var checklist = EvidenceChecklist()
        for row in rows {
            guard let kind = EvidenceKind(rawValue: row.kind), kind != .photoConsent,
                  let status = EvidenceStatus(rawValue: row.status) else { continue }
            checklist[kind] = EvidenceItem(status: status, receivedAt: row.receivedAt.map(tokyo))
        }
        if let consent, let status = EvidenceStatus(rawValue: consent.status) {
            checklist[.photoConsent] = EvidenceItem(status: status, receivedAt: consent.receivedAt.map(tokyo))
        }
        let facts = DispatchFacts(date: try dispatch.schedule().date, evidence: checklist,
                                  deadline: CivilDate(iso: dispatch.deadline), cancelled: dispatch.cancelled)
        return (facts, rows, consent)
    }

    static func tokyo(_ date: Date) -> LocalDateTime {
        TokyoClock.local(secondsSince1970: date.timeIntervalSince1970)
    }
}
