import Fluent
import Foundation
import SQLKit

/// One node at a time runs the deadline scheduler: it holds a lease row until it expires or
/// is renewed. What the scheduler writes is also unique by key, so even two holders (a clock
/// jump, a lease outlived) could not send anything twice; the lease saves the duplicate work.
public enum SchedulerLease {
    public static let table = "scheduler_leases"

    /// Takes or renews `name` for `holder` until `now + duration`; false while another holds it.
    public static func acquire(_ name: String, holder: String, now: Date, duration: TimeInterval, on db: Database) async throws -> Bool {
        let sql = try db.sql()
        try await sql.raw("INSERT INTO scheduler_leases (name, holder, expires_at) VALUES (\(bind: name), NULL, NULL) ON CONFLICT (name) DO NOTHING").run()
        let taken = try await sql.raw("""
            UPDATE scheduler_leases SET holder = \(bind: holder), expires_at = \(bind: now.addingTimeInterval(duration))
            WHERE name = \(bind: name) AND (holder IS NULL OR holder = \(bind: holder) OR expires_at < \(bind: now)) RETURNING name
            """).first()
        return taken != nil
    }

    public static func release(_ name: String, holder: String, on db: Database) async throws {
        try await db.sql().raw("UPDATE scheduler_leases SET holder = NULL, expires_at = NULL WHERE name = \(bind: name) AND holder = \(bind: holder)").run()
    }
}
