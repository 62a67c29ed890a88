import Fluent
import SQLKit

/// Deadlines and reminders (#11, NOTE-1, NOTE-2, NOTE-4): the reminders and escalations
/// written (each once: the unique key is what makes a run after downtime, or on two nodes,
/// send nothing twice), the scheduler's lease, and a dispatch's outside-programme proposal,
/// confirmation or extension.
struct M013_Deadlines: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.addColumns(DispatchModel.schema, [("outside_proposed_at", .datetime), ("outside_confirmed_at", .datetime),
                                                             ("outside_confirmed_by", .string), ("outside_reason", .string),
                                                             ("deadline_checked_at", .datetime)])
        try await database.schema(Reminders.table)
            .id()
            .field("dispatch_id", .uuid, .required, .references(DispatchModel.schema, "id"))
            .field("kind", .string, .required)
            .field("stage", .string, .required)
            .field("deadline", .string, .required)
            .field("created_at", .datetime, .required)
            .field("resolved_at", .datetime)
            .unique(on: "dispatch_id", "kind", "stage", "deadline")
            .create()
        try await database.schema(SchedulerLease.table)
            .field("name", .string, .identifier(auto: false))
            .field("holder", .string)
            .field("expires_at", .datetime)
            .create()
        // AFT-1: a consent that came by mail points at its mail (the PDF is there).
        try await database.addColumns(PhotoConsentModel.schema, [("source_mail_id", .uuid)])
        // NOTE-3: a dispatch's audit trail is read by its subjects.
        try await database.createIndex("audit_log_subject", on: AuditEntryModel.schema, "subject", "seq")
        try await database.createIndex("reminders_stage", on: Reminders.table, "stage", "resolved_at")
        try await database.createIndex("dispatches_deadline_check", on: DispatchModel.schema, "deadline_checked_at", "deadline")
        // The proposals waiting for a person, by deadline: a partial index holds only them (a plain
        // index on the columns is not used for IS NOT NULL without statistics: the table was scanned).
        try await database.sql().raw("""
            CREATE INDEX dispatches_outside_proposed ON dispatches (deadline, id)
            WHERE outside_proposed_at IS NOT NULL AND outside_confirmed_at IS NULL
            """).run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Reminders.table).delete()
        try await database.schema(SchedulerLease.table).delete()
    }
}
