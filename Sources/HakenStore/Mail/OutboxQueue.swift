import Fluent
import Foundation
import HakenMail
import SQLKit

/// The outgoing mail queue. A receipt is queued in the same transaction that records what
/// it confirms; the sender job delivers it later, at most once (unique dedupe key).
public enum Outbox {
    public enum Kind: String, Sendable {
        /// A receipt to a registered party (DEC-9).
        case receipt
        /// The neutral receipt to anyone else, bounded overall (DEC-12).
        case receiptUnregistered = "receipt-unregistered"
        /// A link that verifies a business's mobile address (DEC-10).
        case addressVerification = "address-verification"
        /// Sign-up verification, password reset, invitation: a link for one person.
        case accountLink = "account-link"
        /// AFT-2: the certification link to the business after the expert's report.
        case certificationRequest = "certification-request"
        /// A dispatch filed, rescheduled or cancelled, told to the business and the expert (CON-5).
        case dispatchNotice = "dispatch-notice"
        /// #11: the secretariat decided something about the business's report, photo or declaration.
        case deskNotice = "desk-notice"
        /// NOTE-1: a deadline is near (to the person in charge, a copy to the institution).
        case reminder
    }

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
        public var kind: Kind = .receipt
    }

    /// Who sends our mail and how it is encoded.
    public struct Sender: Sendable, Equatable {
        public var address: String
        /// `utf-8` or `iso-2022-jp` (old phones).
        public var charset: String

        public init(address: String, charset: String) {
            self.address = address
            self.charset = charset
        }
    }

    /// One message, rendered once (a retry sends the same bytes), at most once per `dedupeKey`.
    public static func message(_ kind: Kind, to recipient: String, subject: String, body: String, inReplyTo: String? = nil, dedupeKey: String,
                               inboundMailID: UUID? = nil, sender: Sender, now: Date) -> Row {
        let id = UUID()
        let domain = sender.address.split(separator: "@").last.map(String.init) ?? "localhost"
        let message = OutgoingMessage(from: sender.address, to: recipient, subject: subject, body: body, inReplyTo: inReplyTo,
                                      messageID: "<\(id.uuidString.lowercased())@\(domain)>", date: now,
                                      charset: sender.charset == "iso-2022-jp" ? .iso2022jp : .utf8)
        return Row(id: id, dedupeKey: dedupeKey, recipient: recipient.lowercased(), subject: subject, body: body,
                   raw: message.rendered, inboundMailID: inboundMailID, createdAt: now, kind: kind)
    }

    /// The receipt for one inbound mail (DEC-9), keyed so that it is queued at most once.
    public static func receipt(_ kind: Kind, to recipient: String, subject: String, body: String, inReplyTo: String?, mailID: UUID,
                               sender: Sender, now: Date) -> Row {
        message(kind, to: recipient, subject: subject, body: body, inReplyTo: inReplyTo, dedupeKey: receiptKey(mailID),
                inboundMailID: mailID, sender: sender, now: now)
    }

    public static func receiptKey(_ mailID: UUID) -> String { "receipt:\(mailID.uuidString.lowercased())" }

    /// Queues rows (one INSERT for all), due now.
    public static func enqueue(_ rows: [Row], on database: Database) async throws {
        guard !rows.isEmpty else { return }
        let insert = try database.sql().insert(into: OutboxModel.schema)
            .columns("id", "dedupe_key", "recipient", "subject", "body", "raw", "status", "attempts", "next_attempt_at",
                     "inbound_mail_id", "created_at", "kind")
        for row in rows {
            insert.values(SQLBind(row.id), SQLBind(row.dedupeKey), SQLBind(row.recipient), SQLBind(row.subject), SQLBind(row.body),
                          SQLBind(row.raw), SQLBind("pending"), SQLBind(0), SQLBind(row.createdAt), SQLBind(row.inboundMailID),
                          SQLBind(row.createdAt), SQLBind(row.kind.rawValue))
        }
        try await insert.run()
    }
}
