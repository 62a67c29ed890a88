import Fluent
import SQLKit

/// #13: each party's private calendar feed (the SHA-256 of its secret token; one live feed per
/// party, replaced when rotated), and a dispatch's revision, which becomes the feed's SEQUENCE
/// and rises with every reschedule or cancellation (RFC 5545 §3.8.7.4).
struct M018_CalendarFeeds: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(CalendarFeeds.table)
            .id()
            .field("party_kind", .string, .required)
            .field("party_id", .uuid, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "token_hash")
            .unique(on: "party_kind", "party_id")
            .create()
        try await database.sql().raw("ALTER TABLE dispatches ADD COLUMN revision INTEGER NOT NULL DEFAULT 0").run()
    }

    func revert(on database: Database) async throws {
        try await database.sql().raw("ALTER TABLE dispatches DROP COLUMN revision").run()
        try await database.schema(CalendarFeeds.table).delete()
    }
}
