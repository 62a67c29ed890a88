import Fluent
import Foundation
import HakenCore
import SQLKit

/// NOTE-2: dispatches whose final deadline passed with duties undone are proposed as outside
/// the programme by the scheduler; a person confirms it with a reason, or extends the deadline.
public enum OutsideProgramme {
    public enum Problem: Error, Equatable { case notProposed }

    /// Looks once at each dispatch whose final deadline has just passed (a page at a time) and
    /// proposes those with duties undone. Returns the proposed ids.
    public static func proposeDue(today: CivilDate, now: Date, limit: Int, on db: Database, key: AuditKey) async throws -> [UUID] {
        let sql = try db.sql()
        let rows = try await sql.raw("""
            SELECT d.id, d.business_id, d.expert_id, d.institution_id, d.consultation_id, d.date, d.start_time, d.end_time, d.place,
                   d.deadline, d.cancelled, d.outside_confirmed_at, b.name AS business_name, e.name AS expert_name
            FROM dispatches d JOIN businesses b ON b.id = d.business_id JOIN experts e ON e.id = d.expert_id
            WHERE d.deadline_checked_at IS NULL AND d.deadline < \(bind: today.iso)
            ORDER BY d.deadline LIMIT \(bind: limit)
            """).all()
        let dispatches = try rows.map { try DispatchRow(row: $0) }
        guard !dispatches.isEmpty else { return [] }
        let records = try await DispatchRecords.records(for: dispatches, on: db)
        let proposed = dispatches.filter { dispatch in
            guard let facts = records[dispatch.id]?.facts else { return false }
            return DispatchRules.assess(facts, today: today).state == .outsideProposed
        }.map(\.id)
        try await db.hakenTransaction { tx in
            let sql = try tx.sql()
            try await sql.raw("UPDATE dispatches SET deadline_checked_at = \(bind: now) WHERE id IN (\(binds: dispatches.map(\.id)))").run()
            guard !proposed.isEmpty else { return }
            try await sql.raw("UPDATE dispatches SET outside_proposed_at = \(bind: now) WHERE id IN (\(binds: proposed))").run()
            for id in proposed {
                try await AuditLog.append(.init(actor: "scheduler", action: "dispatch.outside.propose", subject: AuditLog.subject("dispatch", id),
                                                details: ["today": today.iso]), on: tx, key: key, now: now)
            }
        }
        return proposed
    }

    public static func proposedCount(on db: Database) async throws -> Int {
        try await db.sql().raw("""
            SELECT COUNT(*) AS n FROM dispatches WHERE outside_proposed_at IS NOT NULL AND outside_confirmed_at IS NULL AND cancelled = \(bind: false)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public static func proposed(offset: Int, limit: Int, on db: Database) async throws -> [DispatchRow] {
        try await db.sql().raw("""
            SELECT d.id, d.business_id, d.expert_id, d.institution_id, d.consultation_id, d.date, d.start_time, d.end_time, d.place,
                   d.deadline, d.cancelled, d.outside_confirmed_at, b.name AS business_name, e.name AS expert_name
            FROM dispatches d JOIN businesses b ON b.id = d.business_id JOIN experts e ON e.id = d.expert_id
            WHERE d.outside_proposed_at IS NOT NULL AND d.outside_confirmed_at IS NULL AND d.cancelled = \(bind: false)
            ORDER BY d.deadline, d.id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map { try DispatchRow(row: $0) }
    }

    /// Records the decision, audited, with the notices to the business and the institution.
    public static func decide(_ decision: OutsideProgrammeRuling.Decision, dispatchID: UUID, notices: [Outbox.Row], by actor: String,
                              on db: Database, key: AuditKey, now: Date) async throws {
        try await db.hakenTransaction { tx in
            let sql = try tx.sql()
            var details: [String: String]
            let done: SQLRow?
            switch decision {
            case .confirm(let reason):
                done = try await sql.raw("""
                    UPDATE dispatches SET outside_confirmed_at = \(bind: now), outside_confirmed_by = \(bind: actor), outside_reason = \(bind: reason)
                    WHERE id = \(bind: dispatchID) AND outside_confirmed_at IS NULL RETURNING id
                    """).first()
                details = ["decision": "confirm", "reason": reason]
            case .extend(let deadline, let reason):
                done = try await sql.raw("""
                    UPDATE dispatches SET deadline = \(bind: deadline.iso), outside_proposed_at = NULL, deadline_checked_at = NULL,
                      outside_reason = \(bind: reason)
                    WHERE id = \(bind: dispatchID) AND outside_confirmed_at IS NULL RETURNING id
                    """).first()
                details = ["decision": "extend", "deadline": deadline.iso, "reason": reason]
            }
            guard done != nil else { throw Problem.notProposed }
            try await AuditLog.append(.init(actor: actor, action: "dispatch.outside.decide", subject: AuditLog.subject("dispatch", dispatchID),
                                            details: details), on: tx, key: key, now: now)
            if !notices.isEmpty { try await Outbox.enqueue(notices, on: tx) }
        }
    }
}
