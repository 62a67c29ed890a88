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

    /// The facts of a page of dispatches in two queries (a list shows each one's state):
    /// their evidence rows, and their businesses' consents, matched by fiscal year here.
    public static func facts(for dispatches: [DispatchModel], on database: Database) async throws -> [UUID: DispatchFacts] {
        let ids = dispatches.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        let rows = try await EvidenceModel.query(on: database).filter(\.$dispatch.$id ~~ ids).all()
        let businesses = Array(Set(dispatches.map { $0.$business.id }))
        let consents = try await PhotoConsentModel.query(on: database).filter(\.$business.$id ~~ businesses).all()
        var checklists: [UUID: EvidenceChecklist] = [:]
        for row in rows {
            guard let kind = EvidenceKind(rawValue: row.kind), kind != .photoConsent, let status = EvidenceStatus(rawValue: row.status) else { continue }
            checklists[row.$dispatch.id, default: EvidenceChecklist()][kind] = EvidenceItem(status: status, receivedAt: row.receivedAt.map(tokyo))
        }
        var result: [UUID: DispatchFacts] = [:]
        for dispatch in dispatches {
            guard let id = dispatch.id else { continue }
            var checklist = checklists[id] ?? EvidenceChecklist()
            let year = try dispatch.fiscalYear().startYear
            if let consent = consents.first(where: { $0.$business.id == dispatch.$business.id && $0.fiscalYear == year }),
               let status = EvidenceStatus(rawValue: consent.status) {
                checklist[.photoConsent] = EvidenceItem(status: status, receivedAt: consent.receivedAt.map(tokyo))
            }
            result[id] = DispatchFacts(date: try dispatch.schedule().date, evidence: checklist,
                                       deadline: CivilDate(iso: dispatch.deadline), cancelled: dispatch.cancelled)
        }
        return result
    }

    static func tokyo(_ date: Date) -> LocalDateTime {
        TokyoClock.local(secondsSince1970: date.timeIntervalSince1970)
    }
}
