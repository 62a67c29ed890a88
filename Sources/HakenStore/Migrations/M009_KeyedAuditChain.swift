import Fluent

/// NOTE-3: the audit log's keyed chain (`AuditKey`). Entries already written keep their
/// SHA-256 chain only; every new entry carries its MAC too.
struct M009_KeyedAuditChain: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AuditEntryModel.schema).field("mac", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(AuditEntryModel.schema).deleteField("mac").update()
    }
}
