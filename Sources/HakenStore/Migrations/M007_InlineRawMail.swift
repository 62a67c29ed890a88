import Fluent

/// Small messages keep their raw bytes in their row (see `InboundMailModel.raw`).
struct M007_InlineRawMail: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(InboundMailModel.schema).field("raw", .data).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(InboundMailModel.schema).deleteField("raw").update()
    }
}
