import Fluent

struct M006_CreateMail: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(InboundMailModel.schema)
            .id()
            .field("message_id", .string)
            .field("content_hash", .string, .required)
            .field("raw_path", .string, .required)
            .field("size", .int, .required)
            .field("envelope_from", .string)
            .field("envelope_to", .string, .required)
            .field("received_at", .datetime, .required)
            .field("source", .string, .required)
            .field("status", .string, .required)
            .field("reason", .string)
            .field("from_address", .string)
            .field("subject", .string)
            .field("dispatch_id", .uuid)
            .field("evidence_kind", .string)
            .field("problems", .string)
            .field("processed_at", .datetime)
            .unique(on: "content_hash")
            .create()
        try await database.createIndex("inbound_mail_status", on: InboundMailModel.schema, "status", "received_at")
        try await database.schema(OutboxModel.schema)
            .id()
            .field("dedupe_key", .string, .required)
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("raw", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("last_error", .string)
            .field("inbound_mail_id", .uuid)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .unique(on: "dedupe_key")
            .create()
        try await database.createIndex("outbox_due", on: OutboxModel.schema, "status", "next_attempt_at")
        try await database.createIndex("outbox_recipient", on: OutboxModel.schema, "recipient", "created_at")
        // Evidence remembers where it came from: the mail and, for a photo, the stored file.
        // One column per ALTER: SQLite adds one at a time.
        try await database.schema(EvidenceModel.schema).field("source_mail_id", .uuid).update()
        try await database.schema(EvidenceModel.schema).field("file_path", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(EvidenceModel.schema).deleteField("source_mail_id").update()
        try await database.schema(EvidenceModel.schema).deleteField("file_path").update()
        try await database.schema(OutboxModel.schema).delete()
        try await database.schema(InboundMailModel.schema).delete()
    }
}
