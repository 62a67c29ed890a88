import Fluent
import Foundation
import SQLKit

/// NOTE-3: the audit log as the secretariat reads it — overall, newest first, or one
/// dispatch's trail (its own entries and those of every mail recorded against it).
public enum AuditListing {
    public struct Row: Sendable, Equatable {
        public var seq: Int64
        public var at: String
        public var actor: String
        public var action: String
        public var subject: String
        public var details: String
        /// The entry's link in the hash chain (what `hakendesk audit verify` recomputes).
        public var hash: String
    }

    static func rows(_ query: SQLQueryString, on db: Database) async throws -> [Row] {
        try await db.sql().raw(query).all().map { row in
            Row(seq: try row.decode(column: "seq", as: Int64.self), at: try row.decode(column: "at", as: String.self),
                actor: try row.decode(column: "actor", as: String.self), action: try row.decode(column: "action", as: String.self),
                subject: try row.decode(column: "subject", as: String.self), details: try row.decode(column: "details", as: String.self),
                hash: try row.decode(column: "hash", as: String.self))
        }
    }

    /// Newest first; `before` pages back by sequence number (fast at any depth).
    public static func recent(before: Int64?, limit: Int, on db: Database) async throws -> [Row] {
        var query: SQLQueryString = "SELECT seq, at, actor, action, subject, details, hash FROM audit_log"
        if let before { query += " WHERE seq < \(bind: before)" }
        return try await rows(query + " ORDER BY seq DESC LIMIT \(bind: limit)", on: db)
    }

    /// The subjects of a dispatch's trail: the dispatch and the mails recorded against it.
    public static func subjects(ofDispatch id: UUID, on db: Database) async throws -> [String] {
        let mails = try await db.sql().raw("SELECT id FROM inbound_mail WHERE dispatch_id = \(bind: id)").all()
            .map { AuditLog.subject("mail", try $0.decode(column: "id", as: UUID.self)) }
        return [AuditLog.subject("dispatch", id)] + mails
    }

    /// Oldest first: a trail reads as a story.
    public static func trail(_ subjects: [String], limit: Int, on db: Database) async throws -> [Row] {
        guard !subjects.isEmpty else { return [] }
        return try await rows("""
            SELECT seq, at, actor, action, subject, details, hash FROM audit_log WHERE subject IN (\(binds: subjects)) ORDER BY seq LIMIT \(bind: limit)
            """, on: db)
    }
}
