import Fluent

/// DEC-11: each evidence item remembers how far its sender was trusted (`SenderTrust`), so a
/// later report never replaces a more trusted one. DEC-10: a business's mobile address counts
/// once verified by a link mailed to it; the links are rows, so each works once.
struct M008_SenderTrust: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(EvidenceModel.schema).field("trust", .string).update()
        try await database.schema(BusinessModel.schema).field("mobile_verified_at", .datetime).update()
        // Why a mail is on the review list, and DEC-1's time from our trusted MTA's Received field.
        try await database.schema(InboundMailModel.schema).field("flags", .string).update()
        try await database.schema(InboundMailModel.schema).field("mta_received_at", .datetime).update()
        // DEC-12: receipts to unregistered senders are bounded overall, so the outbox says what each row is.
        try await database.schema(OutboxModel.schema).field("kind", .string).update()
        // Superseded by the signed links of M011 (ActionLinks); dropped there.
        try await database.schema("address_verifications")
            .id()
            .field("business_id", .uuid, .required, .references(BusinessModel.schema, "id"))
            .field("address", .string, .required)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema("address_verifications").delete()
        try await database.schema(OutboxModel.schema).deleteField("kind").update()
        try await database.schema(InboundMailModel.schema).deleteField("mta_received_at").update()
        try await database.schema(InboundMailModel.schema).deleteField("flags").update()
        try await database.schema(BusinessModel.schema).deleteField("mobile_verified_at").update()
        try await database.schema(EvidenceModel.schema).deleteField("trust").update()
    }
}
