import Fluent
import Foundation
import HakenMail
import HakenStore
import SQLKit

/// The outgoing mail queue. A receipt is queued in the same transaction that records what
/// it confirms; the sender job delivers it later, at most once (unique dedupe key).
public enum Outbox {
    /// A row of the queue before it is inserted. The message is rendered once here, so a
    /// retry sends the same bytes.
    public struct Row: Sendable {
        public var id: UUID
        public var dedupeKey: String
        public var recipient: String
        public var subject: String
        public var body: String
        public var raw: String
        public var inboundMailID: UUID?
        public var createdAt: Date
    }

    /// The receipt for one inbound mail (DEC-9), keyed so that it is queued at most once.
    public static func receipt(to recipient: String, subject: String, body: String, inReplyTo: String?, mailID: UUID,
                               settings: MailSettings, now: Date) -> Row {
        let id = UUID()
        let domain = settings.senderAddress.split(separator: "@").last.map(String.init) ?? "localhost"
        let message = OutgoingMessage(from: settings.senderAddress, to: recipient, subject: subject, body: body, inReplyTo: inReplyTo,
                                      messageID: "<\(id.uuidString.lowercased())@\(domain)>", date: now,
                                      charset: settings.receiptCharset == "iso-2022-jp" ? .iso2022jp : .utf8)
        return Row(id: id, dedupeKey: receiptKey(mailID), recipient: recipient.lowercased(), subject: subject, body: body,
                   raw: message.rendered, inboundMailID: mailID, createdAt: now)
    }

    static func receiptKey(_ mailID: UUID) -> String { "receipt:\(mailID.uuidString.lowercased())" }

    /// Queues rows (one INSERT for all), due now.
    public static func enqueue(_ rows: [Row], on database: Database) async throws {
        guard !rows.isEmpty else { return }
        let insert = try database.sql().insert(into: OutboxModel.schema)
            .columns("id", "dedupe_key", "recipient", "subject", "body", "raw", "status", "attempts", "next_attempt_at",
                     "inbound_mail_id", "created_at")
        for row in rows {
            insert.values(SQLBind(row.id), SQLBind(row.dedupeKey), SQLBind(row.recipient), SQLBind(row.subject), SQLBind(row.body),
                          SQLBind(row.raw), SQLBind("pending"), SQLBind(0), SQLBind(row.createdAt), SQLBind(row.inboundMailID),
                          SQLBind(row.createdAt))
        }
        try await insert.run()
    }
}
