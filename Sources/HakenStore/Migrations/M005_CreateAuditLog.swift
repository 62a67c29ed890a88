import Fluent
import SQLKit

/// NOTE-3: the audit log is append-only. The database itself refuses UPDATE and DELETE on
/// it, so not even a bug in HakenDesk can rewrite history; the hash chain shows anyone
/// who goes around the database.
struct M005_CreateAuditLog: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AuditEntryModel.schema)
            .id()
            .field("seq", .int64, .required)
            .field("at", .string, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("subject", .string, .required)
            .field("details", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "seq")
            .create()
        guard let sql = database as? SQLDatabase else { return }
        for statement in AuditLogGuard.createStatements(dialect: sql.dialect.name) {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on database: Database) async throws {
        if let sql = database as? SQLDatabase {
            for statement in AuditLogGuard.dropStatements(dialect: sql.dialect.name) {
                try await sql.raw(SQLQueryString(statement)).run()
            }
        }
        try await database.schema(AuditEntryModel.schema).delete()
    }
}

/// The triggers that make `audit_log` append-only, per SQL dialect.
public enum AuditLogGuard {
    public static func createStatements(dialect: String) -> [String] {
        switch dialect {
        case "postgresql":
            return [
                """
                CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'audit_log is append-only'; END;
                $$ LANGUAGE plpgsql
                """,
                "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
            ]
        case "sqlite":
            return [
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
            ]
        default:
            return []
        }
    }

    /// Whether the triggers are in place (and, on PostgreSQL, enabled).
    public static func present(on database: Database) async throws -> Bool {
        let sql = try database.sql()
        switch sql.dialect.name {
        case "sqlite":
            let row = try await sql.raw("""
                SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'
                AND name IN ('audit_log_no_update', 'audit_log_no_delete')
                """).first()
            return try row?.decode(column: "n", as: Int.self) == 2
        case "postgresql":
            let row = try await sql.raw("""
                SELECT count(*) AS n FROM pg_trigger WHERE tgname = 'audit_log_append_only'
                AND tgrelid = to_regclass('audit_log') AND tgenabled <> 'D'
                """).first()
            return try row?.decode(column: "n", as: Int.self) == 1
        default:
            return true
        }
    }

    /// Puts dropped or disabled triggers back (every start and `hakendesk migrate`).
    /// Returns whether they had to be restored.
    @discardableResult
    public static func ensure(on database: Database) async throws -> Bool {
        guard try await !present(on: database) else { return false }
        let sql = try database.sql()
        for statement in dropStatements(dialect: sql.dialect.name) + createStatements(dialect: sql.dialect.name) {
            try await sql.raw(SQLQueryString(statement)).run()
        }
        return true
    }

    public static func dropStatements(dialect: String) -> [String] {
        switch dialect {
        case "postgresql":
            return ["DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log", "DROP FUNCTION IF EXISTS audit_log_append_only()"]
        case "sqlite":
            return ["DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"]
        default:
            return []
        }
    }
}
