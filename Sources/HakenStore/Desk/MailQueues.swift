import Fluent
import Foundation
import HakenCore
import SQLKit

/// Which queues each undecided mail waits in (DeskQueue.queues), as rows: the one writer of
/// that table. Processing adds a mail's rows, a person's decision removes them.
public enum MailQueues {
    public static let table = "mail_queues"

    public struct Entry: Sendable {
        public var mailID: UUID
        public var queue: DeskQueue
        public var receivedAt: Date

        public init(mailID: UUID, queue: DeskQueue, receivedAt: Date) {
            self.mailID = mailID
            self.queue = queue
            self.receivedAt = receivedAt
        }
    }

    public static func add(_ entries: [Entry], on db: Database) async throws {
        guard !entries.isEmpty else { return }
        let sql = try db.sql()
        var start = 0
        while start < entries.count {
            let chunk = entries[start..<min(entries.count, start + 5000)]
            let insert = sql.insert(into: table).columns("mail_id", "queue", "received_at")
            for entry in chunk { insert.values(SQLBind(entry.mailID), SQLBind(entry.queue.rawValue), SQLBind(entry.receivedAt)) }
            try await insert.run()
            start += chunk.count
        }
    }

    public static func remove(mail id: UUID, on db: Database) async throws {
        try await db.sql().raw("DELETE FROM mail_queues WHERE mail_id = \(bind: id)").run()
    }

    public static func count(_ queue: DeskQueue, cappedAt cap: Int? = nil, on db: Database) async throws -> Int {
        let query: SQLQueryString = cap.map {
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM mail_queues WHERE queue = \(bind: queue.rawValue) LIMIT \(bind: $0 + 1)) capped"
        } ?? "SELECT COUNT(*) AS n FROM mail_queues WHERE queue = \(bind: queue.rawValue)"
        return try await db.sql().raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Every processed, undecided mail's queues from its row (mail stored before the table, or
    /// written by a bulk import).
    public static func backfill(on db: Database) async throws {
        let sql = try db.sql()
        var after: UUID?
        while true {
            var query: SQLQueryString = """
                SELECT id, status, flags, received_at,
                       EXISTS (SELECT 1 FROM evidence e WHERE e.source_mail_id = m.id AND e.status = 'late'
                               AND e.kind IN ('startReport', 'endReport')) AS late
                FROM inbound_mail m WHERE m.decided_at IS NULL AND m.status IN ('unmatched', 'refused', 'matched', 'review')
                """
            if let after { query += " AND m.id > \(bind: after)" }
            let rows = try await sql.raw(query + " ORDER BY m.id LIMIT 5000").all()
            guard let last = rows.last else { return }
            after = try last.decode(column: "id", as: UUID.self)
            var entries: [Entry] = []
            for row in rows {
                let status = MailStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .queued
                let flags = (try row.decode(column: "flags", as: String?.self) ?? "").split(separator: ",").compactMap { ReviewFlag(rawValue: String($0)) }
                let late = try row.decode(column: "late", as: Bool.self)
                for queue in DeskQueue.queues(status: status, flags: flags, lateReport: late) {
                    entries.append(Entry(mailID: try row.decode(column: "id", as: UUID.self), queue: queue,
                                         receivedAt: try row.decode(column: "received_at", as: Date.self)))
                }
            }
            try await add(entries, on: db)
        }
    }
}
