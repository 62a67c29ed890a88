import Fluent
import Foundation
import HakenCore
import SQLKit

/// Writes the secretariat's decisions on received mail (#11): loads what `MailRuling` needs,
/// and applies its outcome in one transaction — the mail's row (who decided, when, why), the
/// evidence through `EvidenceWriter` (audited), the audit entry of the ruling itself, and the
/// business's notice. A mail is decided once: a second decision finds it taken.
public enum DeskDecisions {
    public enum Problem: Error, Equatable {
        case alreadyDecided
    }

    /// What a ruling on one mail reads.
    public struct MailContext: Sendable {
        public var mail: MailInbox.Row
        /// DEC-1: when it counts as received (our MTA's time when that is trusted).
        public var countsAt: Date
        /// The items this mail recorded that are still its own.
        public var owned: [EvidenceKind: RecordedEvidence]
        public var dispatch: DispatchRow?
        public var candidate: CandidateDispatch?
    }

    public static func context(_ mailID: UUID, on db: Database) async throws -> MailContext? {
        guard let mail = try await MailInbox.one(mailID, on: db) else { return nil }
        let sql = try db.sql()
        let mta = try await sql.raw("SELECT mta_received_at FROM inbound_mail WHERE id = \(bind: mailID)").first()?
            .decode(column: "mta_received_at", as: Date?.self)
        var owned: [EvidenceKind: RecordedEvidence] = [:]
        for row in try await sql.raw("SELECT kind, status, trust, received_at FROM evidence WHERE source_mail_id = \(bind: mailID)").all() {
            if let item = try recorded(row) { owned[item.kind] = item.evidence }
        }
        var dispatch: DispatchRow?
        var candidate: CandidateDispatch?
        if let id = mail.dispatchID, let row = try await DispatchListing.one(id, on: db) {
            dispatch = row
            candidate = try await self.candidate(row, on: db)
        }
        return MailContext(mail: mail, countsAt: mta ?? mail.receivedAt, owned: owned, dispatch: dispatch, candidate: candidate)
    }

    /// A dispatch as the mail rules see it, with its checklist as recorded.
    public static func candidate(_ dispatch: DispatchRow, on db: Database) async throws -> CandidateDispatch {
        var evidence: [EvidenceKind: RecordedEvidence] = [:]
        for row in try await db.sql().raw("SELECT kind, status, trust, received_at FROM evidence WHERE dispatch_id = \(bind: dispatch.id)").all() {
            if let item = try recorded(row) { evidence[item.kind] = item.evidence }
        }
        return CandidateDispatch(id: dispatch.id, business: BusinessRef(id: dispatch.businessID, name: dispatch.businessName ?? ""),
                                 expertName: dispatch.expertName ?? "", schedule: try dispatch.schedule(), evidence: evidence)
    }

    static func recorded(_ row: any SQLRow) throws -> (kind: EvidenceKind, evidence: RecordedEvidence)? {
        guard let kind = EvidenceKind(rawValue: try row.decode(column: "kind", as: String.self)),
              let status = EvidenceStatus(rawValue: try row.decode(column: "status", as: String.self)) else { return nil }
        let trust = try row.decode(column: "trust", as: String?.self).flatMap(SenderTrust.init(rawValue:)) ?? .registered
        let at = try row.decode(column: "received_at", as: Date?.self).map { TokyoClock.local(secondsSince1970: $0.timeIntervalSince1970) }
        return (kind, RecordedEvidence(status: status, trust: trust, receivedAt: at))
    }

    /// DEC-8: the dispatches of the days around these (for ranking an unmatched mail), without
    /// their checklists; cancelled ones left out.
    public static func dispatchesAround(_ days: [CivilDate], on db: Database) async throws -> [CandidateDispatch] {
        guard let first = days.min(), let last = days.max() else { return [] }
        let from = first.adding(days: -AssignmentCandidates.daysAround).iso
        let to = last.adding(days: AssignmentCandidates.daysAround).iso
        let rows = try await db.sql().raw("""
            SELECT d.id, d.business_id, b.name AS business_name, e.name AS expert_name, d.date, d.start_time, d.end_time, d.place
            FROM dispatches d JOIN businesses b ON b.id = d.business_id JOIN experts e ON e.id = d.expert_id
            WHERE d.date >= \(bind: from) AND d.date <= \(bind: to) AND d.cancelled = \(bind: false)
            ORDER BY d.date, d.start_time LIMIT 5000
            """).all()
        return try rows.compactMap { row in
            let id = try row.decode(column: "id", as: UUID.self)
            guard let schedule = try? DispatchSchedule.stored(date: try row.decode(column: "date", as: String.self),
                                                              start: try row.decode(column: "start_time", as: String.self),
                                                              end: try row.decode(column: "end_time", as: String.self),
                                                              place: try row.decode(column: "place", as: String.self), dispatch: id) else { return nil }
            return CandidateDispatch(id: id, business: BusinessRef(id: try row.decode(column: "business_id", as: UUID.self),
                                                                   name: try row.decode(column: "business_name", as: String.self)),
                                     expertName: try row.decode(column: "expert_name", as: String.self), schedule: schedule)
        }
    }

    /// The business whose registered or mobile address this is.
    public static func business(ofAddress address: String?, on db: Database) async throws -> UUID? {
        guard let key = address?.lowercased(), !key.isEmpty else { return nil }
        return try await db.sql().raw("""
            SELECT id FROM businesses WHERE email_key = \(bind: key) OR mobile_email_key = \(bind: key) LIMIT 1
            """).first()?.decode(column: "id", as: UUID.self)
    }

    /// The registered address of a dispatch's business (where notices go).
    public static func businessAddress(_ businessID: UUID, on db: Database) async throws -> String? {
        try await db.sql().raw("SELECT email FROM businesses WHERE id = \(bind: businessID)").first()?.decode(column: "email", as: String.self)
    }

    /// Applies a ruling. `action` names it in the audit log (`accept`, `reject`, `assign`,
    /// `dismiss`); `dispatchID` and `kind` are set on the mail for an assignment.
    public static func apply(_ outcome: MailRuling.Outcome, to context: MailContext, action: String, reason: String?,
                             assignedTo dispatchID: UUID? = nil, notice: Outbox.Row?, by actor: String,
                             on db: Database, key: AuditKey, now: Date) async throws {
        let mailID = context.mail.id
        try await db.hakenTransaction { tx in
            let sql = try tx.sql()
            var update: SQLQueryString = """
                UPDATE inbound_mail SET status = \(bind: outcome.mailStatus.rawValue), decided_at = \(bind: now), decided_by = \(bind: actor),
                  decision_note = \(bind: outcome.summary)
                """
            if let dispatchID {
                update += ", dispatch_id = \(bind: dispatchID), evidence_kind = \(bind: outcome.evidence.first?.kind.rawValue)"
            }
            update += " WHERE id = \(bind: mailID) AND decided_at IS NULL RETURNING id"
            guard try await sql.raw(update).first() != nil else { throw Problem.alreadyDecided }
            try await MailQueues.remove(mail: mailID, on: tx)
            let writer = try await EvidenceWriter.start(on: tx, key: key)
            let source = EvidenceWriter.Source(actor: actor, receivedAt: context.countsAt, mailID: mailID)
            for change in outcome.evidence {
                try await writer.record(change, source: source, now: now)
            }
            var details = ["action": action, "status": outcome.mailStatus.rawValue, "summary": outcome.summary]
            if let reason { details["reason"] = reason }
            if let dispatchID = dispatchID ?? context.mail.dispatchID { details["dispatch"] = dispatchID.uuidString.lowercased() }
            writer.audit(.init(actor: actor, action: "desk.mail.\(action)", subject: AuditLog.subject("mail", mailID), details: details), now: now)
            try await writer.flush()
            if let notice { try await Outbox.enqueue([notice], on: tx) }
        }
    }
}
