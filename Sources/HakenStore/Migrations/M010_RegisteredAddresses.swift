import Fluent
import SQLKit

/// REG-2: every registered address in one table with a unique key (institutions included,
/// which were checked by nobody before). Existing parties' addresses are copied in; should two
/// already share one, the first keeps it and the secretariat sorts out the other.
struct M010_RegisteredAddresses: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("registered_addresses")
            .field("address_key", .string, .identifier(auto: false))
            .field("party_kind", .string, .required)
            .field("party_id", .uuid, .required)
            .field("field", .string, .required)
            .create()
        let sql = try database.sql()
        for (table, column, kind, field) in [("businesses", "email_key", "business", "email"),
                                             ("businesses", "mobile_email_key", "business", "mobileEmail"),
                                             ("experts", "email_key", "expert", "email"),
                                             ("institutions", "email_key", "institution", "email")] {
            try await sql.raw("""
                INSERT INTO registered_addresses (address_key, party_kind, party_id, field)
                SELECT \(ident: column), \(literal: kind), id, \(literal: field) FROM \(ident: table) WHERE \(ident: column) IS NOT NULL
                ON CONFLICT DO NOTHING
                """).run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema("registered_addresses").delete()
    }
}
