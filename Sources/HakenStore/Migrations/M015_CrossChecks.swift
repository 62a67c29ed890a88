import Fluent
import SQLKit

/// #12, DEC-2: what a dispatch's reports say against each other (`Discrepancies`), one row per
/// finding (unique per dispatch and key, so a finding is recorded once however often it is seen),
/// with the person's resolution. The open ones are the queue, oldest first.
struct M015_CrossChecks: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Discrepancies.table)
            .id()
            .field("dispatch_id", .uuid, .required, .references(DispatchModel.schema, "id"))
            .field("kind", .string, .required)
            .field("finding_key", .string, .required)
            .field("reason", .string, .required)
            .field("mail_id", .uuid)
            .field("found_at", .datetime, .required)
            .field("resolved_at", .datetime)
            .field("resolved_by", .string)
            .field("resolution", .string)
            .unique(on: "dispatch_id", "finding_key")
            .create()
        try await database.sql().raw("CREATE INDEX discrepancies_open ON discrepancies (found_at, id) WHERE resolved_at IS NULL").run()
        // What a time report said it was (start or end), recorded as evidence or not (DEC-11).
        try await database.addColumns(InboundMailModel.schema, [("reported", .string)])
    }

    func revert(on database: Database) async throws {
        try await database.schema(InboundMailModel.schema).deleteField("reported").update()
        try await database.schema(Discrepancies.table).delete()
    }
}
