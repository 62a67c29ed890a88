import Fluent
import Foundation
import HakenCore
import SQLKit

/// The secretariat's inbox (#11): every received mail, searched by Japanese substring, by
/// status or queue and by date; the queues' counts; one mail with its raw bytes. Plain SQL.
public enum MailInbox {
    /// One mail as the lists show it.
    public struct Row: Sendable, Equatable {
        public var id: UUID
        public var receivedAt: Date
        public var from: String?
        public var subject: String?
        public var status: MailStatus
        public var reason: String?
        public var dispatchID: UUID?
        public var evidenceKind: String?
        public var flags: [ReviewFlag]
        public var problems: [String]
        public var decidedAt: Date?
        public var decidedBy: String?
        public var decisionNote: String?
        public var messageID: String?
        public var envelopeFrom: String?
        public var size: Int
        /// #12: what the sender checks found (`SenderAuthentication.Verdict`'s raw value) and why.
        public var senderAuthVerdict: String?
        public var senderAuth: String?
        public var clientAddress: String?
    }

    public struct Filter: Sendable, Equatable {
        /// Substring of sender, subject, the reason, the business's or expert's name.
        public var text: String?
        public var status: MailStatus?
        public var queue: DeskQueue?
        /// Tokyo days, inclusive.
        public var from: CivilDate?
        public var to: CivilDate?

        public init(text: String? = nil, status: MailStatus? = nil, queue: DeskQueue? = nil, from: CivilDate? = nil, to: CivilDate? = nil) {
            self.text = text
            self.status = status
            self.queue = queue
            self.from = from
            self.to = to
        }
    }

    /// What search reads: sender, subject, reason and the matched dispatch's names, NFKC-folded
    /// and lower-cased, the same way a query is.
    public static func searchText(_ parts: [String?]) -> String {
        fold(parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "))
    }

    /// Search text for rows written without it (before M012, or by a bulk import): sender,
    /// subject and reason, lower-cased by the database (the text is NFKC-folded when written
    /// by `MailBatch`).
    public static func backfillSearchText(on db: Database) async throws {
        try await db.sql().raw("""
            UPDATE inbound_mail SET search_text = lower(coalesce(from_address, '') || ' ' || coalesce(subject, '') || ' ' || coalesce(reason, ''))
            WHERE search_text IS NULL
            """).run()
    }

    public static func fold(_ text: String) -> String {
        CompatibilityFolding.nfkc(text).lowercased()
    }

    static let columns: SQLQueryString = """
        SELECT m.id, m.received_at, m.from_address, m.subject, m.status, m.reason, m.dispatch_id, m.evidence_kind, m.flags, m.problems,
               m.decided_at, m.decided_by, m.decision_note, m.message_id, m.envelope_from, m.size,
               m.sender_auth_verdict, m.sender_auth, m.client_address
        FROM inbound_mail m
        """

    public static func page(_ filter: Filter, offset: Int, limit: Int, on db: Database) async throws -> [Row] {
        let sql = try db.sql()
        if let queue = filter.queue, filter == Filter(queue: queue) {
            // A queue on its own: its rows in order, off (queue, received_at), then the mails.
            return try await sql.raw(columns + """
                 JOIN mail_queues q ON q.mail_id = m.id WHERE q.queue = \(bind: queue.rawValue)
                 ORDER BY q.received_at DESC, m.id LIMIT \(bind: limit) OFFSET \(bind: offset)
                """).all().map(row)
        }
        let query = columns + condition(filter, sql: sql) + " ORDER BY m.received_at DESC, m.id LIMIT \(bind: limit) OFFSET \(bind: offset)"
        return try await sql.raw(query).all().map(row)
    }

    /// The mails recorded against one dispatch, in the order received (its reports and photos,
    /// each with what the sender checks found).
    public static func forDispatch(_ id: UUID, on db: Database) async throws -> [Row] {
        try await db.sql().raw(columns + " WHERE m.dispatch_id = \(bind: id) ORDER BY m.received_at, m.id LIMIT 200").all().map(row)
    }

    public static func count(_ filter: Filter, on db: Database) async throws -> Int {
        let sql = try db.sql()
        if let queue = filter.queue, filter == Filter(queue: queue) { return try await MailQueues.count(queue, on: db) }
        return try await sql.raw("SELECT COUNT(*) AS n FROM inbound_mail m" + condition(filter, sql: sql)).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The count a page shows: exact up to `cap`, else `cap + 1` ("more than cap"): counting a
    /// million rows for a number nobody pages through is most of a page's time.
    public static func count(_ filter: Filter, cappedAt cap: Int, on db: Database) async throws -> Int {
        let sql = try db.sql()
        if let queue = filter.queue, filter == Filter(queue: queue) { return try await MailQueues.count(queue, on: db) }
        return try await sql.raw("SELECT COUNT(*) AS n FROM (SELECT 1 FROM inbound_mail m" + condition(filter, sql: sql)
                                 + " LIMIT \(bind: cap + 1)) capped").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public static func one(_ id: UUID, on db: Database) async throws -> Row? {
        try await db.sql().raw(columns + " WHERE m.id = \(bind: id)").first().map(row)
    }

    /// The raw message as received (DEC-8: stored whole).
    public static func raw(_ id: UUID, blobs: BlobStore, on db: Database) async throws -> [UInt8]? {
        guard let row = try await db.sql().raw("SELECT raw, raw_path FROM inbound_mail WHERE id = \(bind: id)").first() else { return nil }
        if let inline = try row.decode(column: "raw", as: Data?.self) { return [UInt8](inline) }
        return try blobs.read(try row.decode(column: "raw_path", as: String.self))
    }

    /// Every queue's count: undecided mail of each mail queue, unchecked photos, consents and
    /// disputes waiting (one query per queue, each on an index). A mail queue's count stops at
    /// `cap + 1` when one is given (the start page says "more than"; counting forty thousand
    /// waiting mails exactly was most of its time).
    public static func counts(cappedAt cap: Int? = nil, on db: Database) async throws -> [DeskQueue: Int] {
        let sql = try db.sql()
        var counts: [DeskQueue: Int] = [:]
        for queue in DeskQueue.allCases where queue.isMailQueue {
            counts[queue] = try await MailQueues.count(queue, cappedAt: cap, on: db)
        }
        counts[.photos] = try await PhotoReview.count(on: db)
        counts[.consents] = try await sql.raw("SELECT COUNT(*) AS n FROM photo_consents WHERE status = \(bind: EvidenceStatus.review.rawValue)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        counts[.overdue] = try await Reminders.escalationCount(on: db)
        counts[.outsideProposed] = try await OutsideProgramme.proposedCount(on: db)
        counts[.discrepancies] = try await Discrepancies.openCount(on: db)
        counts[.disputes] = try await sql.raw("""
            SELECT COUNT(*) AS n FROM evidence WHERE kind = \(bind: EvidenceKind.certification.rawValue) AND status = \(bind: EvidenceStatus.review.rawValue)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        return counts
    }

    static func condition(_ filter: Filter, sql: any SQLDatabase) -> SQLQueryString {
        var parts: [SQLQueryString] = []
        if let status = filter.status { parts.append("m.status = \(bind: status.rawValue)") }
        if let queue = filter.queue { parts.append(queueCondition(queue)) }
        if let from = filter.from {
            parts.append("m.received_at >= \(bind: Date(timeIntervalSince1970: TokyoClock.secondsSince1970(LocalDateTime(date: from, time: .midnight))))")
        }
        if let to = filter.to {
            parts.append("m.received_at < \(bind: Date(timeIntervalSince1970: TokyoClock.secondsSince1970(LocalDateTime(date: to.adding(days: 1), time: .midnight))))")
        }
        if let text = filter.text.map(fold)?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            parts.append(textCondition(text, sql: sql))
        }
        guard var joined = parts.first else { return "" }
        for part in parts.dropFirst() { joined = joined + " AND " + part }
        return " WHERE " + joined
    }

    /// Queue membership: the mail's rows in `mail_queues` (MailQueues).
    static func queueCondition(_ queue: DeskQueue) -> SQLQueryString {
        "m.id IN (SELECT q.mail_id FROM mail_queues q WHERE q.queue = \(bind: queue.rawValue))"
    }

    /// Japanese substring search. SQLite: the FTS5 trigram index for three characters or more
    /// (the tokenizer cannot match fewer), a scan otherwise; PostgreSQL: LIKE, which uses the
    /// pg_trgm GIN index.
    static func textCondition(_ text: String, sql: any SQLDatabase) -> SQLQueryString {
        let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        if sql.dialect.name == "sqlite" && text.count >= 3 {
            let phrase = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return "m.rowid IN (SELECT rowid FROM inbound_mail_fts WHERE inbound_mail_fts MATCH \(bind: phrase))"
        }
        return "m.search_text LIKE \(bind: pattern) ESCAPE '\\'"
    }

    static func row(_ row: any SQLRow) throws -> Row {
        func list(_ column: String) throws -> [String] {
            (try row.decode(column: column, as: String?.self)).map { $0.split(separator: ",").map(String.init) } ?? []
        }
        return Row(id: try row.decode(column: "id", as: UUID.self), receivedAt: try row.decode(column: "received_at", as: Date.self),
                   from: try row.decode(column: "from_address", as: String?.self), subject: try row.decode(column: "subject", as: String?.self),
                   status: MailStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .queued,
                   reason: try row.decode(column: "reason", as: String?.self), dispatchID: try row.decode(column: "dispatch_id", as: UUID?.self),
                   evidenceKind: try row.decode(column: "evidence_kind", as: String?.self),
                   flags: try list("flags").compactMap(ReviewFlag.init(rawValue:)), problems: try list("problems"),
                   decidedAt: try row.decode(column: "decided_at", as: Date?.self), decidedBy: try row.decode(column: "decided_by", as: String?.self),
                   decisionNote: try row.decode(column: "decision_note", as: String?.self),
                   messageID: try row.decode(column: "message_id", as: String?.self),
                   envelopeFrom: try row.decode(column: "envelope_from", as: String?.self), size: try row.decode(column: "size", as: Int.self),
                   senderAuthVerdict: try row.decode(column: "sender_auth_verdict", as: String?.self),
                   senderAuth: try row.decode(column: "sender_auth", as: String?.self),
                   clientAddress: try row.decode(column: "client_address", as: String?.self))
    }
}
