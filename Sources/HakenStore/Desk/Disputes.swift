import Fluent
import Foundation
import HakenCore
import SQLKit

/// AFT-2, DEC-2: certifications the business disputed, waiting for the secretariat.
public enum Disputes {
    public struct Waiting: Sendable, Equatable {
        public var dispatch: DispatchRow
        public var note: String?
        public var receivedAt: Date?
    }

    public static func waiting(offset: Int, limit: Int, on db: Database) async throws -> [Waiting] {
        let rows = try await db.sql().raw("""
            SELECT d.id, d.business_id, d.expert_id, d.institution_id, d.consultation_id, d.date, d.start_time, d.end_time, d.place,
                   d.deadline, d.cancelled, d.outside_confirmed_at, b.name AS business_name, x.name AS expert_name, e.note AS dispute_note, e.received_at AS disputed_at
            FROM evidence e JOIN dispatches d ON d.id = e.dispatch_id JOIN businesses b ON b.id = d.business_id JOIN experts x ON x.id = d.expert_id
            WHERE e.kind = \(bind: EvidenceKind.certification.rawValue) AND e.status = \(bind: EvidenceStatus.review.rawValue)
            ORDER BY e.received_at, d.id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        return try rows.map { row in
            Waiting(dispatch: try DispatchRow(row: row), note: try row.decode(column: "dispute_note", as: String?.self),
                    receivedAt: try row.decode(column: "disputed_at", as: Date?.self))
        }
    }

    /// Records the ruling on the certification item (audited through `EvidenceWriter`).
    public static func decide(_ dispatchID: UUID, ruling: @escaping @Sendable (EvidenceStatus) throws -> EvidenceChangeDraft, by actor: String,
                              on db: Database, key: AuditKey, now: Date) async throws -> EvidenceChangeDraft {
        try await db.hakenTransaction { tx in
            let writer = try await EvidenceWriter.start(on: tx, key: key)
            try await writer.load([dispatchID])
            let current = writer.checklist(dispatchID)[.certification]
            let draft = try ruling(current?.status ?? .missing)
            try await writer.record(EvidenceChange(dispatchID: dispatchID, kind: .certification, status: draft.status,
                                                   trust: current?.trust ?? .registered, note: draft.note),
                                    source: .init(actor: actor, receivedAt: current?.receivedAt ?? now), now: now)
            writer.audit(.init(actor: actor, action: "desk.dispute.decide", subject: AuditLog.subject("dispatch", dispatchID),
                               details: ["status": draft.status.rawValue, "note": draft.note]), now: now)
            try await writer.flush()
            return draft
        }
    }
}
