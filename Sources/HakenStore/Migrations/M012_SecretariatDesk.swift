import Fluent
import Foundation
import SQLKit

/// The secretariat's desk (#11): who decided a queued mail and why, which photos a person has
/// checked (DAY-5), the declarations recorded (DAY-4, DAY-7), and Japanese substring search
/// over received mail (SQLite FTS5 with the trigram tokenizer; PostgreSQL pg_trgm).
struct M012_SecretariatDesk: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.addColumns(InboundMailModel.schema, [("decided_at", .datetime), ("decided_by", .string), ("decision_note", .string),
                                                                ("search_text", .string)])
        try await database.addColumns(EvidenceModel.schema, [("checked_at", .datetime), ("checked_by", .string)])
        // DAY-5: photos now count once a person has checked them. Those already stored were taken
        // as they came before the check existed; marked checked by the migration, so a dispatch
        // already settled (perhaps paid) stays settled. New photos wait for a person.
        try await database.sql().raw("""
            UPDATE evidence SET checked_at = \(bind: Date()), checked_by = 'migration' WHERE kind = 'photo' AND checked_at IS NULL
            """).run()
        try await database.schema(Declarations.table)
            .id()
            .field("dispatch_id", .uuid, .required, .references(DispatchModel.schema, "id"))
            .field("variant", .string, .required)
            .field("covers", .string, .required)
            .field("receipt", .string, .required)
            .field("file_path", .string)
            .field("received_on", .string)
            .field("source_mail_id", .uuid)
            .field("sealed_business", .bool, .required)
            .field("sealed_expert", .bool, .required)
            .field("sealed_institution", .bool, .required)
            .field("accepted", .bool, .required)
            .field("note", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.createIndex("declarations_dispatch", on: Declarations.table, "dispatch_id")
        // Each undecided mail's queues, one row each (DeskQueue.queues): a queue's count and first
        // page read one index range however much mail there is. Removed when a person decides.
        try await database.schema(MailQueues.table)
            .field("mail_id", .uuid, .required, .references(InboundMailModel.schema, "id"))
            .field("queue", .string, .required)
            .field("received_at", .datetime, .required)
            .unique(on: "queue", "mail_id")
            .create()
        try await database.createIndex("mail_queues_order", on: MailQueues.table, "queue", "received_at")
        try await database.createIndex("mail_queues_mail", on: MailQueues.table, "mail_id")
        // A mail's own items (the desk's rulings) and the photo queue.
        try await database.createIndex("evidence_source_mail", on: EvidenceModel.schema, "source_mail_id")
        try await database.createIndex("evidence_kind_status", on: EvidenceModel.schema, "kind", "status")
        // The inbox newest first (the queues use M006's (status, received_at)); a dispatch's mail.
        try await database.createIndex("inbound_mail_received", on: InboundMailModel.schema, "received_at")
        try await database.createIndex("inbound_mail_dispatch", on: InboundMailModel.schema, "dispatch_id")
        let sql = try database.sql()
        // What search reads for the mail already stored (new mail gets NFKC-folded text from MailBatch).
        try await MailInbox.backfillSearchText(on: database)
        try await MailQueues.backfill(on: database)
        // DAY-5: the photos waiting for their check, oldest first, off a small index.
        try await sql.raw("""
            CREATE INDEX evidence_photos_unchecked ON evidence (received_at) WHERE kind = 'photo' AND checked_at IS NULL
            """).run()
        if sql.dialect.name == "postgresql" {
            try await MailSearchIndex.createPostgres(on: sql)
        } else {
            try await MailSearchIndex.createSQLite(on: sql)
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(Declarations.table).delete()
    }
}

/// The search index over `inbound_mail.search_text`: SQLite keeps an FTS5 trigram table in
/// step through triggers; PostgreSQL a GIN trigram index that `LIKE '%…%'` uses.
enum MailSearchIndex {
    static func createSQLite(on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            CREATE VIRTUAL TABLE inbound_mail_fts USING fts5(search_text, content='inbound_mail', content_rowid='rowid', tokenize='trigram')
            """).run()
        try await sql.raw("INSERT INTO inbound_mail_fts(rowid, search_text) SELECT rowid, search_text FROM inbound_mail WHERE search_text IS NOT NULL").run()
        try await sql.raw("""
            CREATE TRIGGER inbound_mail_fts_insert AFTER INSERT ON inbound_mail WHEN new.search_text IS NOT NULL BEGIN
              INSERT INTO inbound_mail_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
            END
            """).run()
        try await sql.raw("""
            CREATE TRIGGER inbound_mail_fts_delete AFTER DELETE ON inbound_mail WHEN old.search_text IS NOT NULL BEGIN
              INSERT INTO inbound_mail_fts(inbound_mail_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
            END
            """).run()
        try await sql.raw("""
            CREATE TRIGGER inbound_mail_fts_update AFTER UPDATE OF search_text ON inbound_mail BEGIN
              INSERT INTO inbound_mail_fts(inbound_mail_fts, rowid, search_text) SELECT 'delete', old.rowid, old.search_text WHERE old.search_text IS NOT NULL;
              INSERT INTO inbound_mail_fts(rowid, search_text) SELECT new.rowid, new.search_text WHERE new.search_text IS NOT NULL;
            END
            """).run()
    }

    /// pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    /// It goes into `public`, so every schema's index finds its operator class; two nodes (or
    /// test schemas) creating it at once is not an error.
    static func createPostgres(on sql: any SQLDatabase) async throws {
        do {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public").run()
        } catch {
            let rows = try await sql.raw("SELECT 1 AS present FROM pg_extension WHERE extname = 'pg_trgm'").all()
            if rows.isEmpty { throw error }
        }
        try await sql.raw("CREATE INDEX inbound_mail_search_trgm ON inbound_mail USING gin (search_text public.gin_trgm_ops)").run()
    }
}
