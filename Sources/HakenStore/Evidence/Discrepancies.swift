import Fluent
import Foundation
import HakenCore
import SQLKit

/// #12, DEC-2: the findings of `CrossCheck` on each dispatch, recorded once (the dispatch and
/// the finding's key are unique), audited, listed for the secretariat until resolved.
public enum Discrepancies {
    public static let table = "discrepancies"

    public struct Entry: Sendable, Equatable {
        public var dispatchID: UUID
        public var finding: CrossCheck.Finding
        public var mailID: UUID?

        public init(dispatchID: UUID, finding: CrossCheck.Finding, mailID: UUID? = nil) {
            (self.dispatchID, self.finding, self.mailID) = (dispatchID, finding, mailID)
        }
    }

    public struct Row: Sendable, Equatable {
        public var id: UUID
        public var dispatchID: UUID
        public var kind: CrossCheck.Kind
        public var reason: String
        public var mailID: UUID?
        public var foundAt: Date
        public var resolvedAt: Date?
        public var resolvedBy: String?
        public var resolution: String?
        /// For the queue: the dispatch's day and names.
        public var date: String?
        public var businessName: String?
        public var expertName: String?
    }

    /// Records the entries not recorded before (same dispatch, same key); returns how many were new.
    /// Each new one gets an audit entry in `chain` (the caller flushes it in its transaction).
    @discardableResult
    public static func record(_ entries: [Entry], actor: String, chain: inout AuditLog.Chain, on db: Database, now: Date) async throws -> Int {
        guard !entries.isEmpty else { return 0 }
        let sql = try db.sql()
        let ids = Array(Set(entries.map(\.dispatchID)))
        var known = Set<String>()
        for row in try await sql.raw("SELECT dispatch_id, finding_key FROM discrepancies WHERE dispatch_id IN (\(binds: ids))").all() {
            known.insert("\(try row.decode(column: "dispatch_id", as: UUID.self))|\(try row.decode(column: "finding_key", as: String.self))")
        }
        var fresh: [Entry] = []
        for entry in entries where known.insert("\(entry.dispatchID)|\(entry.finding.key)").inserted { fresh.append(entry) }
        guard !fresh.isEmpty else { return 0 }
        let insert = sql.insert(into: table).columns("id", "dispatch_id", "kind", "finding_key", "reason", "mail_id", "found_at")
        for entry in fresh {
            insert.values(SQLBind(UUID()), SQLBind(entry.dispatchID), SQLBind(entry.finding.kind.rawValue), SQLBind(entry.finding.key),
                          SQLBind(entry.finding.reason), SQLBind(entry.mailID), SQLBind(now))
            var details = ["kind": entry.finding.kind.rawValue, "reason": entry.finding.reason]
            if let mailID = entry.mailID { details["mail"] = mailID.uuidString.lowercased() }
            chain.append(.init(actor: actor, action: "discrepancy.find", subject: AuditLog.subject("dispatch", entry.dispatchID),
                               details: details), now: now)
        }
        try await insert.run()
        return fresh.count
    }

    /// Re-reads what the dispatches' reports say and records what `CrossCheck` finds.
    @discardableResult
    public static func review(_ dispatchIDs: [UUID], toleranceMinutes: Int, extra: [Entry] = [], actor: String,
                              on db: Database, key: AuditKey, now: Date) async throws -> Int {
        var entries = extra
        if !dispatchIDs.isEmpty {
            for (id, loaded) in try await facts(for: Array(Set(dispatchIDs)), on: db) {
                entries += CrossCheck.findings(loaded.facts, day: loaded.day, toleranceMinutes: toleranceMinutes)
                    .map { Entry(dispatchID: id, finding: $0) }
            }
        }
        guard !entries.isEmpty else { return 0 }
        var chain = try await AuditLog.Chain.start(on: db, key: key)
        let count = try await record(entries, actor: actor, chain: &chain, on: db, now: now)
        try await chain.flush(on: db)
        return count
    }

    /// What `CrossCheck.findings` reads, for each dispatch: four queries whatever their number.
    static func facts(for ids: [UUID], on db: Database) async throws -> [UUID: (day: CivilDate, facts: CrossCheck.Facts)] {
        let sql = try db.sql()
        var result: [UUID: (day: CivilDate, facts: CrossCheck.Facts)] = [:]
        for row in try await sql.raw("SELECT id, date FROM dispatches WHERE id IN (\(binds: ids))").all() {
            guard let day = CivilDate(iso: try row.decode(column: "date", as: String.self)) else { continue }
            result[try row.decode(column: "id", as: UUID.self)] = (day, CrossCheck.Facts())
        }
        // By dispatch only, kind and status read here: with them in the WHERE, SQLite's planner took
        // the (kind, status) index and read every start and end report on file (9 ms a batch at
        // 100,000 dispatches, instead of 0.1).
        let counted: Set<String> = [EvidenceStatus.accepted.rawValue, EvidenceStatus.late.rawValue, EvidenceStatus.review.rawValue]
        let times = try await sql.raw("SELECT dispatch_id, kind, status, received_at FROM evidence WHERE dispatch_id IN (\(binds: ids))").all()
        for row in times {
            let kind = try row.decode(column: "kind", as: String.self)
            guard kind == EvidenceKind.startReport.rawValue || kind == EvidenceKind.endReport.rawValue,
                  counted.contains(try row.decode(column: "status", as: String.self)) else { continue }
            let id = try row.decode(column: "dispatch_id", as: UUID.self)
            guard let at = try row.decode(column: "received_at", as: Date?.self).map(DispatchRecords.tokyo) else { continue }
            if kind == EvidenceKind.startReport.rawValue {
                result[id]?.facts.mailedStart = at
            } else {
                result[id]?.facts.mailedEnd = at
            }
        }
        for row in try await sql.raw("SELECT dispatch_id, actual_start, actual_end FROM expert_reports WHERE dispatch_id IN (\(binds: ids))").all() {
            let id = try row.decode(column: "dispatch_id", as: UUID.self)
            result[id]?.facts.expertStart = TimeOfDay(hhmm: try row.decode(column: "actual_start", as: String.self))
            result[id]?.facts.expertEnd = TimeOfDay(hhmm: try row.decode(column: "actual_end", as: String.self))
        }
        // Every time report kept on the dispatch, replaced or not (DEC-11), but not one a person
        // rejected or set aside. Answered from the covering index `inbound_mail_reports` (M017): the
        // row itself holds the raw mail, and `reported`, added after it, sits past the mail's
        // overflow pages (23 ms a batch at 20,000 mails; 1 ms from the index).
        let kept: Set<String> = [MailStatus.matched.rawValue, MailStatus.review.rawValue]
        let mails = try await sql.raw("""
            SELECT dispatch_id, reported, status, from_address, received_at FROM inbound_mail
            WHERE dispatch_id IN (\(binds: ids)) AND reported IS NOT NULL
            """).all()
        var reports: [(id: UUID, start: Bool, from: String, at: Date)] = []
        for row in mails {
            guard kept.contains(try row.decode(column: "status", as: String.self)),
                  let from = try row.decode(column: "from_address", as: String?.self) else { continue }
            reports.append((try row.decode(column: "dispatch_id", as: UUID.self),
                            try row.decode(column: "reported", as: String.self) == ReportTiming.Role.start.rawValue, from,
                            try row.decode(column: "received_at", as: Date.self)))
        }
        for report in reports.sorted(by: { $0.at < $1.at }) {
            if report.start {
                result[report.id]?.facts.startSenders.append(report.from)
            } else {
                result[report.id]?.facts.endSenders.append(report.from)
            }
        }
        return result
    }

    static let columns: SQLQueryString = """
        SELECT c.id, c.dispatch_id, c.kind, c.reason, c.mail_id, c.found_at, c.resolved_at, c.resolved_by, c.resolution,
               d.date, b.name AS business_name, x.name AS expert_name
        FROM discrepancies c JOIN dispatches d ON d.id = c.dispatch_id JOIN businesses b ON b.id = d.business_id JOIN experts x ON x.id = d.expert_id
        """

    /// The queue: unresolved findings, oldest first.
    public static func open(offset: Int, limit: Int, on db: Database) async throws -> [Row] {
        try await db.sql().raw(columns + " WHERE c.resolved_at IS NULL ORDER BY c.found_at, c.id LIMIT \(bind: limit) OFFSET \(bind: offset)")
            .all().map(row)
    }

    public static func openCount(on db: Database) async throws -> Int {
        try await db.sql().raw("SELECT COUNT(*) AS n FROM discrepancies WHERE resolved_at IS NULL").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Every finding of one dispatch, resolved or not.
    public static func forDispatch(_ id: UUID, on db: Database) async throws -> [Row] {
        try await db.sql().raw(columns + " WHERE c.dispatch_id = \(bind: id) ORDER BY c.found_at, c.id").all().map(row)
    }

    public static func one(_ id: UUID, on db: Database) async throws -> Row? {
        try await db.sql().raw(columns + " WHERE c.id = \(bind: id)").first().map(row)
    }

    public enum Problem: Error, Equatable { case notFound, alreadyResolved }

    /// A person looked and says what they found (the note is required by the caller).
    public static func resolve(_ id: UUID, note: String, by actor: String, on db: Database, key: AuditKey, now: Date) async throws -> Row {
        try await db.hakenTransaction { tx in
            guard let current = try await one(id, on: tx) else { throw Problem.notFound }
            guard current.resolvedAt == nil else { throw Problem.alreadyResolved }
            try await tx.sql().update(table).set("resolved_at", to: SQLBind(now)).set("resolved_by", to: SQLBind(actor))
                .set("resolution", to: SQLBind(note)).where("id", .equal, SQLBind(id)).where("resolved_at", .is, SQLLiteral.null).run()
            var chain = try await AuditLog.Chain.start(on: tx, key: key)
            chain.append(.init(actor: actor, action: "desk.discrepancy.resolve", subject: AuditLog.subject("dispatch", current.dispatchID),
                               details: ["kind": current.kind.rawValue, "note": note, "discrepancy": id.uuidString.lowercased()]), now: now)
            try await chain.flush(on: tx)
            var resolved = current
            (resolved.resolvedAt, resolved.resolvedBy, resolved.resolution) = (now, actor, note)
            return resolved
        }
    }

    static func row(_ row: any SQLRow) throws -> Row {
        Row(id: try row.decode(column: "id", as: UUID.self), dispatchID: try row.decode(column: "dispatch_id", as: UUID.self),
            kind: CrossCheck.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .expertTimes,
            reason: try row.decode(column: "reason", as: String.self), mailID: try row.decode(column: "mail_id", as: UUID?.self),
            foundAt: try row.decode(column: "found_at", as: Date.self), resolvedAt: try row.decode(column: "resolved_at", as: Date?.self),
            resolvedBy: try row.decode(column: "resolved_by", as: String?.self), resolution: try row.decode(column: "resolution", as: String?.self),
            date: try row.decode(column: "date", as: String?.self), businessName: try row.decode(column: "business_name", as: String?.self),
            expertName: try row.decode(column: "expert_name", as: String?.self))
    }
}
