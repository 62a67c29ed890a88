import Fluent
import Foundation
import HakenCore
import SQLKit

/// NOTE-1, NOTE-4: the reminders and escalations the deadline scheduler writes, each once
/// (unique by dispatch, duty, stage and deadline), and what it reads to decide them.
public enum Reminders {
    public static let table = "reminders"

    /// A dispatch whose duties can still fall due, with who is told.
    public struct Active: Sendable {
        public var dispatch: DispatchRow
        public var facts: DeadlineFacts
        public var businessEmail: String
        public var institutionEmail: String
    }

    /// Dispatches on or after their day whose final deadline has not passed, not cancelled,
    /// a page at a time (by id, so a run walks them all however many there are).
    public static func active(today: CivilDate, after: UUID?, limit: Int, on db: Database) async throws -> [Active] {
        let sql = try db.sql()
        var query: SQLQueryString = """
            SELECT d.id, d.business_id, d.expert_id, d.institution_id, d.consultation_id, d.date, d.start_time, d.end_time, d.place,
                   d.deadline, d.cancelled, d.outside_confirmed_at, b.name AS business_name, e.name AS expert_name, i.name AS institution_name,
                   b.email AS business_email, i.email AS institution_email
            FROM dispatches d JOIN businesses b ON b.id = d.business_id JOIN experts e ON e.id = d.expert_id
                 JOIN institutions i ON i.id = d.institution_id
            WHERE d.cancelled = \(bind: false) AND d.date <= \(bind: today.iso) AND d.deadline >= \(bind: today.iso)
            """
        if let after { query += " AND d.id > \(bind: after)" }
        query += " ORDER BY d.id LIMIT \(bind: limit)"
        let rows = try await sql.raw(query).all()
        let dispatches = try rows.map(DispatchRow.init(row:))
        guard !dispatches.isEmpty else { return [] }
        let records = try await DispatchRecords.records(for: dispatches, on: db)
        // DAY-4/DAY-7: a declaration asked for after a rejection counts from the ruling's day.
        let asked = try await sql.raw("""
            SELECT dispatch_id, MAX(updated_at) AS at FROM evidence
            WHERE dispatch_id IN (\(binds: dispatches.map(\.id))) AND status = \(bind: EvidenceStatus.rejected.rawValue)
              AND kind IN ('startReport', 'endReport', 'photo')
            GROUP BY dispatch_id
            """).all()
        var askedOn: [UUID: CivilDate] = [:]
        for row in asked {
            if let at = try row.decode(column: "at", as: Date?.self) {
                askedOn[try row.decode(column: "dispatch_id", as: UUID.self)] = TokyoClock.local(secondsSince1970: at.timeIntervalSince1970).date
            }
        }
        return try zip(dispatches, rows).compactMap { dispatch, row in
            guard let record = records[dispatch.id] else { return nil }
            let standard = BusinessCalendar.nextBusinessDay(after: record.facts.date)
            return Active(dispatch: dispatch,
                          facts: DeadlineFacts(dispatch: record.facts, declarationAskedOn: askedOn[dispatch.id].map { max($0, standard) }),
                          businessEmail: try row.decode(column: "business_email", as: String.self),
                          institutionEmail: try row.decode(column: "institution_email", as: String.self))
        }
    }

    /// Writes one reminder or escalation unless it was written before (by this node after
    /// downtime, or by another); returns whether it is new, in which case the caller's
    /// mails go out in the same transaction.
    public static func write(_ due: DeadlineRules.Due, dispatchID: UUID, mails: [Outbox.Row], now: Date, on db: Database, key: AuditKey) async throws -> Bool {
        try await db.hakenTransaction { tx in
            let written = try await tx.sql().raw("""
                INSERT INTO reminders (id, dispatch_id, kind, stage, deadline, created_at)
                VALUES (\(bind: UUID()), \(bind: dispatchID), \(bind: due.kind.rawValue), \(bind: due.stage.rawValue), \(bind: due.deadline.iso), \(bind: now))
                ON CONFLICT (dispatch_id, kind, stage, deadline) DO NOTHING RETURNING id
                """).first()
            guard written != nil else { return false }
            if !mails.isEmpty { try await Outbox.enqueue(mails, on: tx) }
            try await AuditLog.append(.init(actor: "scheduler", action: due.stage == .before ? "deadline.remind" : "deadline.escalate",
                                            subject: AuditLog.subject("dispatch", dispatchID),
                                            details: ["duty": due.kind.rawValue, "deadline": due.deadline.iso,
                                                      "recipients": mails.map(\.recipient).joined(separator: ",")]),
                                      on: tx, key: key, now: now)
            return true
        }
    }

    /// The escalations: duties past their deadline, for the secretariat (newest deadline last).
    public struct Escalation: Sendable {
        public var dispatch: DispatchRow
        public var kind: DutyKind
        public var deadline: String
        public var at: Date
    }

    public static func escalations(offset: Int, limit: Int, on db: Database) async throws -> [Escalation] {
        let rows = try await db.sql().raw("""
            SELECT d.id, d.business_id, d.expert_id, d.institution_id, d.consultation_id, d.date, d.start_time, d.end_time, d.place,
                   d.deadline, d.cancelled, d.outside_confirmed_at, b.name AS business_name, e.name AS expert_name,
                   r.kind AS duty, r.deadline AS duty_deadline, r.created_at AS escalated_at
            FROM reminders r JOIN dispatches d ON d.id = r.dispatch_id JOIN businesses b ON b.id = d.business_id JOIN experts e ON e.id = d.expert_id
            WHERE r.stage = \(bind: DeadlineRules.Stage.overdue.rawValue) AND r.resolved_at IS NULL
            ORDER BY r.deadline, r.created_at LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        return try rows.compactMap { row in
            guard let kind = DutyKind(rawValue: try row.decode(column: "duty", as: String.self)) else { return nil }
            return Escalation(dispatch: try DispatchRow(row: row), kind: kind, deadline: try row.decode(column: "duty_deadline", as: String.self),
                              at: try row.decode(column: "escalated_at", as: Date.self))
        }
    }

    public static func escalationCount(on db: Database) async throws -> Int {
        try await db.sql().raw("""
            SELECT COUNT(*) AS n FROM reminders WHERE stage = \(bind: DeadlineRules.Stage.overdue.rawValue) AND resolved_at IS NULL
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Escalations whose duty is no longer open leave the list (the scheduler checks each run).
    public static func resolve(dispatchID: UUID, kinds: [DutyKind], now: Date, on db: Database) async throws {
        guard !kinds.isEmpty else { return }
        try await db.sql().raw("""
            UPDATE reminders SET resolved_at = \(bind: now)
            WHERE dispatch_id = \(bind: dispatchID) AND stage = \(bind: DeadlineRules.Stage.overdue.rawValue) AND resolved_at IS NULL
              AND kind IN (\(binds: kinds.map(\.rawValue)))
            """).run()
    }

    /// Dispatches with unresolved escalations (for the scheduler's resolve pass).
    public static func escalated(on db: Database) async throws -> [UUID: [DutyKind]] {
        let rows = try await db.sql().raw("""
            SELECT dispatch_id, kind FROM reminders WHERE stage = \(bind: DeadlineRules.Stage.overdue.rawValue) AND resolved_at IS NULL
            """).all()
        var result: [UUID: [DutyKind]] = [:]
        for row in rows {
            if let kind = DutyKind(rawValue: try row.decode(column: "kind", as: String.self)) {
                result[try row.decode(column: "dispatch_id", as: UUID.self), default: []].append(kind)
            }
        }
        return result
    }
}
