import Fluent

struct M002_CreateAccounts: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AccountModel.schema)
            .id()
            .field("email", .string, .required)
            .field("email_key", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("party_id", .uuid)
            .field("created_at", .datetime)
            .unique(on: "email_key")
            .create()
        try await database.schema(APITokenModel.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("role", .string, .required)
            .field("party_id", .uuid)
            .field("label", .string, .required)
            .field("created_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(APITokenModel.schema).delete()
        try await database.schema(AccountModel.schema).delete()
    }
}
