import Fluent
import SQLKit

/// #12, DEC-2: the cross-check after each mail batch reads every time report kept on the batch's
/// dispatches. From the table that meant the raw mail's overflow pages for each row (`reported`
/// was added after `raw`); this partial index holds what it reads, so the check is answered from
/// the index alone.
struct M017_ReportIndex: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.sql().raw("""
            CREATE INDEX inbound_mail_reports ON inbound_mail (dispatch_id, reported, status, from_address, received_at)
            WHERE reported IS NOT NULL
            """).run()
    }

    func revert(on database: Database) async throws {
        try await database.sql().raw("DROP INDEX inbound_mail_reports").run()
    }
}
