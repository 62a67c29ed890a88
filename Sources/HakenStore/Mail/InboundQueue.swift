import Fluent
import Foundation
import HakenCore
import SQLKit

/// A stored mail waiting for processing, as processing needs it: read with SQL rather than
/// decoded as a Fluent model (reflection over every field was a tenth of a batch's time).
public struct QueuedMail: Sendable {
    public var id: UUID
    public var rawPath: String
    /// The bytes, when the row holds them (a small message); otherwise read from `rawPath`.
    public var raw: Data?
    /// SHA-256 of the raw message (NOTE-3: the audit entry names what was received).
    public var contentHash: String
    /// When our server stored it.
    public var receivedAt: Date
    /// The SMTP envelope sender: "" for the null sender `<>`, nil when the way in gave none.
    public var envelopeFrom: String?
    public var fromAddress: String?
    public var subject: String?
    /// The SMTP client's address and HELO name (#12: SPF), when it came over SMTP.
    public var clientAddress: String?
    public var helo: String?

    public init(id: UUID, rawPath: String, raw: Data?, contentHash: String, receivedAt: Date, envelopeFrom: String?,
                fromAddress: String?, subject: String?, clientAddress: String? = nil, helo: String? = nil) {
        (self.id, self.rawPath, self.raw, self.contentHash) = (id, rawPath, raw, contentHash)
        (self.receivedAt, self.envelopeFrom, self.fromAddress, self.subject) = (receivedAt, envelopeFrom, fromAddress, subject)
        (self.clientAddress, self.helo) = (clientAddress, helo)
    }

    /// The oldest queued mails.
    public static func next(_ limit: Int, on db: Database) async throws -> [QueuedMail] {
        let rows = try await db.sql().raw("""
            SELECT id, raw_path, raw, content_hash, received_at, envelope_from, from_address, subject, client_address, helo
            FROM inbound_mail
            WHERE status = \(bind: MailStatus.queued.rawValue) ORDER BY received_at, id LIMIT \(unsafeRaw: String(max(1, limit)))
            """).all()
        return try rows.map { row in
            QueuedMail(id: try row.decode(column: "id", as: UUID.self),
                       rawPath: try row.decode(column: "raw_path", as: String.self),
                       raw: try row.decode(column: "raw", as: Data?.self),
                       contentHash: try row.decode(column: "content_hash", as: String.self),
                       receivedAt: try row.decode(column: "received_at", as: Date.self),
                       envelopeFrom: try row.decode(column: "envelope_from", as: String?.self),
                       fromAddress: try row.decode(column: "from_address", as: String?.self),
                       subject: try row.decode(column: "subject", as: String?.self),
                       clientAddress: try row.decode(column: "client_address", as: String?.self),
                       helo: try row.decode(column: "helo", as: String?.self))
        }
    }

    /// Whether it is still waiting (a batch that failed may have been partly redone).
    public func isQueued(on db: Database) async throws -> Bool {
        try await InboundMailModel.query(on: db).filter(\.$id == id)
            .filter(\.$status == MailStatus.queued.rawValue).count() > 0
    }

    /// A mail that could not be processed waits for a person (DEC-8). `reason` is for people:
    /// the error itself goes to the log, never into a reason or a receipt.
    public func setAsideForPerson(reason: String, on db: Database, key: AuditKey, now: Date) async throws {
        try await db.hakenTransaction { db in
            try await db.sql().update(InboundMailModel.schema)
                .set("status", to: SQLBind(MailStatus.unmatched.rawValue)).set("reason", to: SQLBind(reason))
                .set("search_text", to: SQLBind(MailInbox.searchText([fromAddress, subject, reason])))
                .set("processed_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(id))
                .run()
            try await MailQueues.add([MailQueues.Entry(mailID: id, queue: .unmatched, receivedAt: receivedAt)], on: db)
            try await AuditLog.append(.init(actor: "mail", action: "mail.error", subject: AuditLog.subject("mail", id),
                                            details: ["reason": reason, "sha256": contentHash, "storedAt": AuditLog.timestamp(receivedAt)]),
                                      on: db, key: key, now: now)
        }
    }
}
