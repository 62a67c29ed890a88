import Fluent
import Foundation
import HakenCore

/// One received message (DEC-8): stored whole before it is acknowledged, then processed
/// by the background job. The raw bytes live in the blob store; this row says what became of them.
public final class InboundMailModel: Model, @unchecked Sendable {
    public static let schema = "inbound_mail"

    /// What became of it (HakenCore's `MailStatus`: queued, matched, review, …).
    public typealias Status = MailStatus

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "message_id") public var messageID: String?
    /// SHA-256 of the raw bytes: the same message delivered twice is stored once.
    @Field(key: "content_hash") public var contentHash: String
    /// The blob store path of the raw message; empty when the bytes are in `raw`.
    @Field(key: "raw_path") public var rawPath: String
    /// The raw message itself, for a message small enough (`MailIntake.inlineLimit`): it is
    /// then made durable by the row's own commit, with no file of its own to create and fsync.
    @OptionalField(key: "raw") public var raw: Data?
    @Field(key: "size") public var size: Int
    @OptionalField(key: "envelope_from") public var envelopeFrom: String?
    @Field(key: "envelope_to") public var envelopeTo: String
    @Field(key: "received_at") public var receivedAt: Date
    /// `smtp`, `api` or `cli`.
    @Field(key: "source") public var source: String
    @Field(key: "status") public var status: String
    /// Why it has its status, in Japanese, for the secretariat.
    @OptionalField(key: "reason") public var reason: String?
    @OptionalField(key: "from_address") public var fromAddress: String?
    @OptionalField(key: "subject") public var subject: String?
    @OptionalField(key: "dispatch_id") public var dispatchID: UUID?
    @OptionalField(key: "evidence_kind") public var evidenceKind: String?
    /// Problem codes of the reader, comma-separated.
    @OptionalField(key: "problems") public var problems: String?
    @OptionalField(key: "processed_at") public var processedAt: Date?

    public init() {}

    public var mailStatus: Status { Status(rawValue: status) ?? .queued }

    /// Review flags (`ReviewFlag`), comma-separated: why it is on the review list.
    @OptionalField(key: "flags") public var flags: String?
    /// DEC-1: when our trusted MTA received it (its `Received` field), when `HAKEN_TRUSTED_MTA` is set.
    @OptionalField(key: "mta_received_at") public var mtaReceivedAt: Date?
    /// #12: the SMTP client's address and HELO name, and what the sender checks found.
    @OptionalField(key: "client_address") public var clientAddress: String?
    @OptionalField(key: "helo") public var helo: String?
    @OptionalField(key: "sender_auth") public var senderAuth: String?
    @OptionalField(key: "sender_auth_verdict") public var senderAuthVerdict: String?
}

/// A mail HakenDesk sends (receipts, certification links, reminders). Sent by the outbox
/// job through the relay, at most once: the dedupe key is unique and a row is marked
/// sent in the same step that records the relay's acceptance.
public final class OutboxModel: Model, @unchecked Sendable {
    public static let schema = "outbox"

    @ID(key: .id) public var id: UUID?
    @Field(key: "dedupe_key") public var dedupeKey: String
    /// What it is (`Outbox.Kind`); nil on rows older than the column.
    @OptionalField(key: "kind") public var kind: String?
    @Field(key: "recipient") public var recipient: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    /// The raw RFC 5322 message as it will be sent (built once, so a retry sends the same bytes).
    @Field(key: "raw") public var raw: String
    /// `pending`, `sent`, `failed` (given up).
    @Field(key: "status") public var status: String
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    @OptionalField(key: "last_error") public var lastError: String?
    @OptionalField(key: "inbound_mail_id") public var inboundMailID: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "sent_at") public var sentAt: Date?

    public init() {}
}
