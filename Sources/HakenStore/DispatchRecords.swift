import Fluent
import Foundation
import HakenCore

/// Reads what the derive function needs about dispatches from the database (written by
/// `EvidenceWriter`): one dispatch for its page, or a page of them in the same two queries.
public enum DispatchRecords {
    /// One dispatch's evidence as the domain sees it, with the rows it was read from (for
    /// views that show notes and times) and the business's photo consent for its fiscal year (AFT-1).
    public struct Record: Sendable {
        public var facts: DispatchFacts
        public var rows: [EvidenceModel]
        public var consent: PhotoConsentModel?

        public init(facts: DispatchFacts, rows: [EvidenceModel], consent: PhotoConsentModel?) {
            self.facts = facts; self.rows = rows; self.consent = consent
        }
    }

    public static func facts(for dispatch: DispatchModel, on database: Database) async throws -> DispatchFacts {
        try await records(for: dispatch, on: database).facts
    }

    public static func records(for dispatch: DispatchModel, on database: Database) async throws
        -> (facts: DispatchFacts, rows: [EvidenceModel], consent: PhotoConsentModel?) {
        guard let record = try await records(for: [dispatch], on: database)[try dispatch.requireID()] else {
            throw StoredValueError(what: "dispatch \(dispatch.id?.uuidString.lowercased() ?? "-") records")
        }
        return (record.facts, record.rows, record.consent)
    }

    /// The facts of a page of dispatches (a list shows each one's state).
    public static func facts(for dispatches: [DispatchModel], on database: Database) async throws -> [UUID: DispatchFacts] {
        try await records(for: dispatches, on: database).mapValues(\.facts)
    }

    /// Two queries whatever the number: the dispatches' evidence rows, and their businesses'
    /// consents, matched to each dispatch's fiscal year here.
    public static func records(for dispatches: [DispatchModel], on database: Database) async throws -> [UUID: Record] {
        let ids = dispatches.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        let rows = try await EvidenceModel.query(on: database).filter(\.$dispatch.$id ~~ ids).all()
        let businesses = Array(Set(dispatches.map { $0.$business.id }))
        let consents = try await PhotoConsentModel.query(on: database).filter(\.$business.$id ~~ businesses).all()
        let rowsByDispatch = Dictionary(grouping: rows, by: { $0.$dispatch.id })
        var result: [UUID: Record] = [:]
        for dispatch in dispatches {
            guard let id = dispatch.id else { continue }
            let own = rowsByDispatch[id] ?? []
            var checklist = EvidenceChecklist()
            for row in own {
                guard let kind = EvidenceKind(rawValue: row.kind), kind != .photoConsent,
                      let status = EvidenceStatus(rawValue: row.status) else { continue }
                checklist[kind] = EvidenceItem(status: status, receivedAt: row.receivedAt.map(tokyo))
            }
            let year = try dispatch.fiscalYear().startYear
            let consent = consents.first { $0.$business.id == dispatch.$business.id && $0.fiscalYear == year }
            if let consent, let status = EvidenceStatus(rawValue: consent.status) {
                checklist[.photoConsent] = EvidenceItem(status: status, receivedAt: consent.receivedAt.map(tokyo))
            }
            let facts = DispatchFacts(date: try dispatch.schedule().date, evidence: checklist,
                                      deadline: CivilDate(iso: dispatch.deadline), cancelled: dispatch.cancelled)
            result[id] = Record(facts: facts, rows: own, consent: consent)
        }
        return result
    }

    static func tokyo(_ date: Date) -> LocalDateTime {
        TokyoClock.local(secondsSince1970: date.timeIntervalSince1970)
    }
}
