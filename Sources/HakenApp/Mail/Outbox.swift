import Fluent
import Foundation
import HakenMail
import HakenStore

/// The outgoing mail queue. A receipt is queued in the same transaction that records what
/// it confirms; the sender job delivers it later, at most once (unique dedupe key).
public enum Outbox {
    /// DEC-9: a receipt for one inbound mail, unless this sender already got
    /// `receiptsPerHour` receipts in the last hour (a loop or a flood).
    public static func enqueueReceipt(to recipient: String, subject: String, body: String, inReplyTo: String?, mailID: UUID,
                               settings: MailSettings, now: Date, on db: Database) async throws {
        let key = "receipt:\(mailID.uuidString.lowercased())"
        guard try await OutboxModel.query(on: db).filter(\.$dedupeKey == key).count() == 0 else { return }
        let recent = try await OutboxModel.query(on: db)
            .filter(\.$recipient == recipient.lowercased())
            .filter(\.$createdAt > now.addingTimeInterval(-3600)).count()
        guard recent < settings.receiptsPerHour else { return }
        let id = UUID()
        let domain = settings.senderAddress.split(separator: "@").last.map(String.init) ?? "localhost"
        let message = OutgoingMessage(from: settings.senderAddress, to: recipient, subject: subject, body: body, inReplyTo: inReplyTo,
                                      messageID: "<\(id.uuidString.lowercased())@\(domain)>", date: now,
                                      charset: settings.receiptCharset == "iso-2022-jp" ? .iso2022jp : .utf8)
        let row = OutboxModel()
        row.id = id
        row.dedupeKey = key
        row.recipient = recipient.lowercased()
        row.subject = subject
        row.body = body
        row.raw = message.rendered
        row.status = "pending"
        row.attempts = 0
        row.nextAttemptAt = now
        row.inboundMailID = mailID
        row.createdAt = now
        try await row.create(on: db)
    }
}
