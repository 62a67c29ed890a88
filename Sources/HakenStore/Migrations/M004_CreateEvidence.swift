import Fluent

struct M004_CreateEvidence: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(EvidenceModel.schema)
            .id()
            .field("dispatch_id", .uuid, .required, .references(DispatchModel.schema, "id"))
            .field("kind", .string, .required)
            .field("status", .string, .required)
            .field("received_at", .datetime)
            .field("note", .string)
            .field("updated_at", .datetime)
            .unique(on: "dispatch_id", "kind")
            .create()
        try await database.schema(PhotoConsentModel.schema)
            .id()
            .field("business_id", .uuid, .required, .references(BusinessModel.schema, "id"))
            .field("fiscal_year", .int, .required)
            .field("status", .string, .required)
            .field("received_at", .datetime)
            .field("note", .string)
            .unique(on: "business_id", "fiscal_year")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(PhotoConsentModel.schema).delete()
        try await database.schema(EvidenceModel.schema).delete()
    }
}
