import Fluent

struct M003_CreateDispatches: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ConsultationModel.schema)
            .id()
            .field("institution_id", .uuid, .required, .references(InstitutionModel.schema, "id"))
            .field("business_id", .uuid, .required, .references(BusinessModel.schema, "id"))
            .field("date", .string, .required)
            .field("mode", .string, .required)
            .field("disaster_measure", .string)
            .field("consulted_person", .string, .required)
            .field("photographed", .bool, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(DispatchModel.schema)
            .id()
            .field("business_id", .uuid, .required, .references(BusinessModel.schema, "id"))
            .field("expert_id", .uuid, .required, .references(ExpertModel.schema, "id"))
            .field("institution_id", .uuid, .required, .references(InstitutionModel.schema, "id"))
            .field("consultation_id", .uuid, .references(ConsultationModel.schema, "id"))
            .field("date", .string, .required)
            .field("start_time", .string, .required)
            .field("end_time", .string, .required)
            .field("place", .string, .required)
            .field("deadline", .string, .required)
            .field("cancelled", .bool, .required)
            .field("created_at", .datetime)
            .create()
        // Mail matching looks dispatches up by business and day (DEC-3/DEC-4).
        try await database.createIndex("dispatches_business_date", on: DispatchModel.schema, "business_id", "date")
    }

    func revert(on database: Database) async throws {
        try await database.schema(DispatchModel.schema).delete()
        try await database.schema(ConsultationModel.schema).delete()
    }
}
