import Fluent
import Foundation
import HakenCore
import HakenMail
import HakenStore
import SQLKit

/// A stored mail waiting for processing, as processing needs it: read with SQL rather than
/// decoded as a Fluent model (reflection over every field was a tenth of a batch's time).
struct QueuedMail: Sendable {
    var id: UUID
    var rawPath: String
    /// The bytes, when the row holds them (a small message); otherwise read from `rawPath`.
    var raw: Data?
    var receivedAt: Date
    var envelopeFrom: String?
    var fromAddress: String?
    var subject: String?

    /// The oldest queued mails.
    static func next(_ limit: Int, on db: Database) async throws -> [QueuedMail] {
        let rows = try await db.sql().raw("""
            SELECT id, raw_path, raw, received_at, envelope_from, from_address, subject FROM inbound_mail
            WHERE status = \(bind: InboundMailModel.Status.queued.rawValue) ORDER BY received_at, id LIMIT \(unsafeRaw: String(limit))
            """).all()
        return try rows.map { row in
            QueuedMail(id: try row.decode(column: "id", as: UUID.self),
                       rawPath: try row.decode(column: "raw_path", as: String.self),
                       raw: try row.decode(column: "raw", as: Data?.self),
                       receivedAt: try row.decode(column: "received_at", as: Date.self),
                       envelopeFrom: try row.decode(column: "envelope_from", as: String?.self),
                       fromAddress: try row.decode(column: "from_address", as: String?.self),
                       subject: try row.decode(column: "subject", as: String?.self))
        }
    }

    /// Who sent it, lower-cased: the From address as read, or the envelope sender when the
    /// header gave none.
    func sender(of message: MailMessage) -> String? {
        (message.from ?? envelopeFrom)?.lowercased()
    }

    /// When it arrived, in Tokyo.
    var receivedInTokyo: LocalDateTime { TokyoClock.local(secondsSince1970: receivedAt.timeIntervalSince1970) }

    /// Whether it is still waiting (a batch that failed may have been partly redone).
    func isQueued(on db: Database) async throws -> Bool {
        try await InboundMailModel.query(on: db).filter(\.$id == id)
            .filter(\.$status == InboundMailModel.Status.queued.rawValue).count() > 0
    }
}
