import Fluent
import Foundation
import HakenCore
import SQLKit

/// DAY-5, CON-2: the photos waiting for a person, and one photo with what it is checked
/// against — the consultation photo, the consulted person, the person in charge, the expert.
public enum PhotoReview {
    public struct Waiting: Sendable, Equatable {
        public var dispatch: DispatchRow
        public var status: EvidenceStatus
        public var trust: SenderTrust
        public var receivedAt: Date?
    }

    public struct Detail: Sendable {
        public var dispatch: DispatchRow
        public var status: EvidenceStatus
        public var trust: SenderTrust
        public var receivedAt: Date?
        public var note: String?
        public var file: String?
        public var checkedAt: Date?
        public var checkedBy: String?
        public var contactName: String
        public var consultedPerson: String?
        public var consultationPhoto: String?
        public var consultationDate: String?
    }

    static let waitingCondition: SQLQueryString = """
        e.kind = 'photo' AND e.checked_at IS NULL AND e.status IN ('accepted', 'review', 'late') AND d.cancelled = \(bind: false)
        """

    public static func count(on db: Database) async throws -> Int {
        try await db.sql().raw("SELECT COUNT(*) AS n FROM evidence e JOIN dispatches d ON d.id = e.dispatch_id WHERE " + waitingCondition)
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Oldest first: the queue is cleared in the order photos arrived.
    public static func waiting(offset: Int, limit: Int, on db: Database) async throws -> [Waiting] {
        let rows = try await db.sql().raw("""
            SELECT d.id, d.business_id, d.expert_id, d.institution_id, d.consultation_id, d.date, d.start_time, d.end_time, d.place,
                   d.deadline, d.cancelled, d.outside_confirmed_at, b.name AS business_name, x.name AS expert_name,
                   e.status AS photo_status, e.trust AS photo_trust, e.received_at AS photo_received_at
            FROM evidence e JOIN dispatches d ON d.id = e.dispatch_id JOIN businesses b ON b.id = d.business_id JOIN experts x ON x.id = d.expert_id
            """ as SQLQueryString + " WHERE " + waitingCondition + " ORDER BY e.received_at, d.id LIMIT \(bind: limit) OFFSET \(bind: offset)").all()
        return try rows.map { row in
            Waiting(dispatch: try DispatchRow(row: row),
                    status: EvidenceStatus(rawValue: try row.decode(column: "photo_status", as: String.self)) ?? .review,
                    trust: try row.decode(column: "photo_trust", as: String?.self).flatMap(SenderTrust.init(rawValue:)) ?? .registered,
                    receivedAt: try row.decode(column: "photo_received_at", as: Date?.self))
        }
    }

    public static func detail(_ dispatchID: UUID, on db: Database) async throws -> Detail? {
        guard let dispatch = try await DispatchListing.one(dispatchID, on: db) else { return nil }
        let sql = try db.sql()
        let photo = try await sql.raw("""
            SELECT status, trust, received_at, note, file_path, checked_at, checked_by FROM evidence
            WHERE dispatch_id = \(bind: dispatchID) AND kind = 'photo'
            """).first()
        let contact = try await sql.raw("SELECT contact_name FROM businesses WHERE id = \(bind: dispatch.businessID)").first()?
            .decode(column: "contact_name", as: String.self) ?? ""
        var consulted: String?
        var consultationPhoto: String?
        var consultationDate: String?
        if let consultationID = dispatch.consultationID,
           let row = try await sql.raw("SELECT consulted_person, photo_path, date FROM consultations WHERE id = \(bind: consultationID)").first() {
            consulted = try row.decode(column: "consulted_person", as: String.self)
            consultationPhoto = try row.decode(column: "photo_path", as: String?.self)
            consultationDate = try row.decode(column: "date", as: String.self)
        }
        // No photo yet: the screen still shows the consultation photo and what #12 found about it.
        guard let photo else {
            return Detail(dispatch: dispatch, status: .missing, trust: .registered, receivedAt: nil, note: nil, file: nil, checkedAt: nil,
                          checkedBy: nil, contactName: contact, consultedPerson: consulted, consultationPhoto: consultationPhoto,
                          consultationDate: consultationDate)
        }
        return Detail(dispatch: dispatch, status: EvidenceStatus(rawValue: try photo.decode(column: "status", as: String.self)) ?? .review,
                      trust: try photo.decode(column: "trust", as: String?.self).flatMap(SenderTrust.init(rawValue:)) ?? .registered,
                      receivedAt: try photo.decode(column: "received_at", as: Date?.self), note: try photo.decode(column: "note", as: String?.self),
                      file: try photo.decode(column: "file_path", as: String?.self), checkedAt: try photo.decode(column: "checked_at", as: Date?.self),
                      checkedBy: try photo.decode(column: "checked_by", as: String?.self), contactName: contact,
                      consultedPerson: consulted, consultationPhoto: consultationPhoto, consultationDate: consultationDate)
    }

    /// Records the check on the photo item (one writer: `EvidenceWriter`, audited) and the
    /// business's notice when it was rejected. Refuses a photo changed since it was shown
    /// (`expectedReceivedAt`): a newer photo is checked on its own.
    public static func record(_ outcome: PhotoCheck.Outcome, detail: Detail, confirmed: [PhotoCheck.Point], notice: Outbox.Row?,
                              by actor: String, on db: Database, key: AuditKey, now: Date) async throws {
        try await db.hakenTransaction { tx in
            let writer = try await EvidenceWriter.start(on: tx, key: key)
            try await writer.load([detail.dispatch.id])
            guard let current = writer.checklist(detail.dispatch.id)[.photo], current.receivedAt == detail.receivedAt,
                  try await tx.sql().raw("""
                      SELECT checked_at FROM evidence WHERE id = \(bind: current.id)
                      """).first()?.decode(column: "checked_at", as: Date?.self) == nil else {
                throw DeskDecisions.Problem.alreadyDecided
            }
            let change = EvidenceChange(dispatchID: detail.dispatch.id, kind: .photo, status: outcome.status, trust: current.trust, note: outcome.note)
            try await writer.record(change, source: .init(actor: actor, receivedAt: detail.receivedAt ?? now), checkedBy: actor, now: now)
            writer.audit(.init(actor: actor, action: "desk.photo.check", subject: AuditLog.subject("dispatch", detail.dispatch.id),
                               details: ["status": outcome.status.rawValue, "confirmed": confirmed.map(\.rawValue).joined(separator: ","),
                                         "note": outcome.note]), now: now)
            try await writer.flush()
            if let notice { try await Outbox.enqueue([notice], on: tx) }
        }
    }
}
