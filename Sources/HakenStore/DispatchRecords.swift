import Fluent
import Foundation
import HakenCore
import SQLKit

/// Reads what the derive function needs about dispatches from the database (written by
/// `EvidenceWriter`): one dispatch for its page, or a page of them, in the same two queries.
/// Plain SQL rows, not Fluent models (decoding models by reflection was most of a list's time).
public enum DispatchRecords {
    /// One received checklist item as pages show it.
    public struct EvidenceRow: Sendable, Equatable {
        public var kind: String
        public var status: String
        public var receivedAt: Date?
        public var note: String?
        /// DAY-5: when a person at the secretariat checked it (photos).
        public var checkedAt: Date?
    }

    /// One dispatch's evidence as the domain sees it, with the rows it was read from (for
    /// views that show notes and times) and the business's photo consent for its fiscal year (AFT-1).
    public struct Record: Sendable {
        public var facts: DispatchFacts
        public var rows: [EvidenceRow]
        public var consent: EvidenceRow?

        public init(facts: DispatchFacts, rows: [EvidenceRow], consent: EvidenceRow?) {
            self.facts = facts; self.rows = rows; self.consent = consent
        }
    }

    public static func facts(for dispatch: DispatchModel, on database: Database) async throws -> DispatchFacts {
        try await records(for: dispatch, on: database).facts
    }

    public static func records(for dispatch: DispatchModel, on database: Database) async throws
        -> (facts: DispatchFacts, rows: [EvidenceRow], consent: EvidenceRow?) {
        let row = try DispatchRow(dispatch)
        guard let record = try await records(for: [row], on: database)[row.id] else {
            throw StoredValueError(what: "dispatch \(row.id.uuidString.lowercased()) records")
        }
        return (record.facts, record.rows, record.consent)
    }

    /// Two queries whatever the number: the dispatches' evidence rows, and their businesses'
    /// consents, matched to each dispatch's fiscal year here.
    public static func records(for dispatches: [DispatchRow], on database: Database) async throws -> [UUID: Record] {
        guard !dispatches.isEmpty else { return [:] }
        let sql = try database.sql()
        let ids = dispatches.map(\.id)
        let evidence = try await sql.raw("""
            SELECT dispatch_id, kind, status, received_at, note, checked_at FROM evidence WHERE dispatch_id IN (\(binds: ids))
            """).all()
        let businesses = Array(Set(dispatches.map(\.businessID)))
        let consents = try await sql.raw("""
            SELECT business_id, fiscal_year, status, received_at, note FROM photo_consents WHERE business_id IN (\(binds: businesses))
            """).all()
        var rowsByDispatch: [UUID: [EvidenceRow]] = [:]
        for row in evidence {
            rowsByDispatch[try row.decode(column: "dispatch_id", as: UUID.self), default: []].append(try evidenceRow(row))
        }
        var consentsByBusiness: [UUID: [(year: Int, row: EvidenceRow)]] = [:]
        for row in consents {
            consentsByBusiness[try row.decode(column: "business_id", as: UUID.self), default: []]
                .append((try row.decode(column: "fiscal_year", as: Int.self), try evidenceRow(row, kind: EvidenceKind.photoConsent.rawValue)))
        }
        var result: [UUID: Record] = [:]
        for dispatch in dispatches {
            let own = rowsByDispatch[dispatch.id] ?? []
            var checklist = EvidenceChecklist()
            for row in own {
                guard let kind = EvidenceKind(rawValue: row.kind), kind != .photoConsent,
                      let status = EvidenceStatus(rawValue: row.status) else { continue }
                checklist[kind] = EvidenceItem(status: status, receivedAt: row.receivedAt.map(tokyo),
                                               unchecked: kind == .photo && row.checkedAt == nil)
            }
            let schedule = try dispatch.schedule()
            let year = FiscalYear(containing: schedule.date).startYear
            let consent = consentsByBusiness[dispatch.businessID]?.first { $0.year == year }?.row
            if let consent, let status = EvidenceStatus(rawValue: consent.status) {
                checklist[.photoConsent] = EvidenceItem(status: status, receivedAt: consent.receivedAt.map(tokyo))
            }
            let facts = DispatchFacts(date: schedule.date, evidence: checklist, deadline: CivilDate(iso: dispatch.deadline), cancelled: dispatch.cancelled,
                                      outsideConfirmed: dispatch.outsideConfirmed)
            result[dispatch.id] = Record(facts: facts, rows: own, consent: consent)
        }
        return result
    }

    static func evidenceRow(_ row: any SQLRow, kind: String? = nil) throws -> EvidenceRow {
        EvidenceRow(kind: try kind ?? row.decode(column: "kind", as: String.self), status: try row.decode(column: "status", as: String.self),
                    receivedAt: try row.decode(column: "received_at", as: Date?.self), note: try row.decode(column: "note", as: String?.self),
                    checkedAt: try row.contains(column: "checked_at") ? row.decode(column: "checked_at", as: Date?.self) : nil)
    }

    static func tokyo(_ date: Date) -> LocalDateTime {
        TokyoClock.local(secondsSince1970: date.timeIntervalSince1970)
    }
}
