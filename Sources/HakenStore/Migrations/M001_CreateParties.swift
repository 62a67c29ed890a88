import Fluent

struct M001_CreateParties: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(InstitutionModel.schema)
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("email", .string, .required)
            .field("email_key", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(ExpertModel.schema)
            .id()
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("email_key", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "email_key")
            .create()
        try await database.schema(BusinessModel.schema)
            .id()
            .field("name", .string, .required)
            .field("kana_name", .string)
            .field("corporate_number", .string)
            .field("address", .string)
            .field("phone", .string)
            .field("contact_name", .string, .required)
            .field("email", .string, .required)
            .field("email_key", .string, .required)
            .field("mobile_email", .string)
            .field("mobile_email_key", .string)
            .field("created_at", .datetime)
            // REG-2: one registered address belongs to one business, or reports could not be attributed.
            .unique(on: "email_key")
            .create()
        try await database.createIndex("institutions_email_key", on: InstitutionModel.schema, "email_key")
        try await database.createIndex("businesses_mobile_email_key", on: BusinessModel.schema, "mobile_email_key")
    }

    func revert(on database: Database) async throws {
        try await database.schema(BusinessModel.schema).delete()
        try await database.schema(ExpertModel.schema).delete()
        try await database.schema(InstitutionModel.schema).delete()
    }
}
