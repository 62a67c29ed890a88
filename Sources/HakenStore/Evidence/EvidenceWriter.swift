import Fluent
import Foundation
import HakenCore
import SQLKit

/// The one writer of checklist items: the mail batch, the demo data and the tests all record
/// evidence through it. Every change is an audit entry (NOTE-3) with the times and, for mail,
/// the raw message's digest. Plain SQL rows, not Fluent models: decoding models by reflection
/// was most of the mail path's time. New items are held back for one multi-row INSERT.
/// Must be used inside one transaction, from `start` to `flush`.
public final class EvidenceWriter: @unchecked Sendable {
    /// One recorded item as the writer knows it.
    public struct Item: Sendable, Equatable {
        public var id: UUID
        public var status: EvidenceStatus
        public var trust: SenderTrust
        public var receivedAt: Date?
    }

    /// Where a change comes from, for its row and its audit entry.
    public struct Source: Sendable {
        /// `mail`, `demo`, or the principal's actor name.
        public var actor: String
        /// DEC-1: when the evidence counts as received.
        public var receivedAt: Date
        public var mailID: UUID?
        /// SHA-256 of the raw message it came in.
        public var sha256: String?
        /// When our server stored the message (differs from `receivedAt` when our MTA's time counts).
        public var storedAt: Date?

        public init(actor: String, receivedAt: Date, mailID: UUID? = nil, sha256: String? = nil, storedAt: Date? = nil) {
            self.actor = actor
            self.receivedAt = receivedAt
            self.mailID = mailID
            self.sha256 = sha256
            self.storedAt = storedAt
        }
    }

    private let sql: any SQLDatabase
    private let db: Database
    private var checklists: [UUID: [EvidenceKind: Item]] = [:]
    private var pending: [(id: UUID, change: EvidenceChange, source: Source, checkedBy: String?, now: Date)] = []
    private var chain: AuditLog.Chain

    private init(db: Database, sql: any SQLDatabase, chain: AuditLog.Chain) {
        self.db = db
        self.sql = sql
        self.chain = chain
    }

    public static func start(on db: Database, key: AuditKey) async throws -> EvidenceWriter {
        EvidenceWriter(db: db, sql: try db.sql(), chain: try await AuditLog.Chain.start(on: db, key: key))
    }

    /// Records changes in a transaction of their own (demo data, API actions, tests).
    public static func record(_ changes: [EvidenceChange], source: Source, checkedBy: String? = nil, on db: Database, key: AuditKey,
                              now: Date) async throws {
        try await db.hakenTransaction { tx in
            let writer = try await start(on: tx, key: key)
            for change in changes { try await writer.record(change, source: source, checkedBy: checkedBy, now: now) }
            try await writer.flush()
        }
    }

    // MARK: - Reads

    /// The checklists of these dispatches, read once each per writer.
    public func load(_ dispatchIDs: [UUID]) async throws {
        let missing = Array(Set(dispatchIDs.filter { checklists[$0] == nil }))
        guard !missing.isEmpty else { return }
        let rows = try await sql.raw("""
            SELECT id, dispatch_id, kind, status, trust, received_at FROM evidence WHERE dispatch_id IN (\(binds: missing))
            """).all()
        for id in missing { checklists[id] = [:] }
        for row in rows {
            guard let kind = EvidenceKind(rawValue: try row.decode(column: "kind", as: String.self)),
                  let status = EvidenceStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
            // Rows from before DEC-11's column came from the registered address or a person.
            let trust = try row.decode(column: "trust", as: String?.self).flatMap(SenderTrust.init(rawValue:)) ?? .registered
            checklists[try row.decode(column: "dispatch_id", as: UUID.self), default: [:]][kind] =
                Item(id: try row.decode(column: "id", as: UUID.self), status: status, trust: trust,
                     receivedAt: try row.decode(column: "received_at", as: Date?.self))
        }
    }

    /// What is loaded for a dispatch (empty until `load` read it).
    public func checklist(_ dispatchID: UUID) -> [EvidenceKind: Item] { checklists[dispatchID] ?? [:] }

    // MARK: - Writes

    /// Creates or replaces one checklist item. Whether it may replace is the caller's
    /// decision (`EvidenceReplacement`); the writer writes. `audited: false` when the caller's
    /// own entry in the same chain records the change with its times and digest (the mail
    /// batch's `mail.process`): one entry per received mail, not one per item it changes.
    ///
    /// Whatever records an item again makes it unchecked (DAY-5: a new photo is looked at
    /// anew), unless this is the check itself (`checkedBy`). A change without a file or mail
    /// keeps the ones the item has (a ruling on a photo keeps the photo and the mail it came in).
    public func record(_ change: EvidenceChange, source: Source, audited: Bool = true, checkedBy: String? = nil, now: Date) async throws {
        try await load([change.dispatchID])
        let existing = checklists[change.dispatchID]?[change.kind]
        let id = existing?.id ?? UUID()
        if let index = pending.firstIndex(where: { $0.id == id }) {
            // Created earlier in this batch and not yet written: the INSERT carries the latest.
            pending[index] = (id, change, source, checkedBy, now)
        } else if existing != nil {
            try await sql.update(EvidenceModel.schema)
                .set("status", to: SQLBind(change.status.rawValue)).set("trust", to: SQLBind(change.trust.rawValue))
                .set("received_at", to: SQLBind(source.receivedAt))
                .set("note", to: SQLBind(change.note))
                .set("source_mail_id", to: SQLFunction("COALESCE", args: SQLBind(source.mailID), SQLColumn("source_mail_id")))
                .set("file_path", to: SQLFunction("COALESCE", args: SQLBind(change.file), SQLColumn("file_path")))
                .set("checked_at", to: SQLBind(checkedBy == nil ? nil : now)).set("checked_by", to: SQLBind(checkedBy))
                .set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(id))
                .run()
        } else {
            pending.append((id, change, source, checkedBy, now))
        }
        checklists[change.dispatchID, default: [:]][change.kind] = Item(id: id, status: change.status, trust: change.trust,
                                                                        receivedAt: source.receivedAt)
        guard audited else { return }
        var details = ["kind": change.kind.rawValue, "status": change.status.rawValue, "trust": change.trust.rawValue,
                       "receivedAt": AuditLog.timestamp(source.receivedAt)]
        if let mail = source.mailID { details["mail"] = mail.uuidString.lowercased() }
        if let sha256 = source.sha256 { details["sha256"] = sha256 }
        if let storedAt = source.storedAt { details["storedAt"] = AuditLog.timestamp(storedAt) }
        if let note = change.note { details["note"] = note }
        if let file = change.file { details["file"] = file }
        if let checkedBy { details["checkedBy"] = checkedBy }
        chain.append(.init(actor: source.actor, action: "evidence.record", subject: AuditLog.subject("dispatch", change.dispatchID),
                           details: details), now: now)
    }

    /// Another entry in the same chain and transaction (the mail's own outcome).
    public func audit(_ entry: AuditLog.Entry, now: Date) {
        chain.append(entry, now: now)
    }

    /// Writes what was held back. Must run before the transaction commits.
    public func flush() async throws {
        if !pending.isEmpty {
            let insert = sql.insert(into: EvidenceModel.schema)
                .columns("id", "dispatch_id", "kind", "status", "trust", "received_at", "note", "source_mail_id", "file_path",
                         "checked_at", "checked_by", "updated_at")
            for (id, change, source, checkedBy, now) in pending {
                insert.values(SQLBind(id), SQLBind(change.dispatchID), SQLBind(change.kind.rawValue), SQLBind(change.status.rawValue),
                              SQLBind(change.trust.rawValue), SQLBind(source.receivedAt), SQLBind(change.note), SQLBind(source.mailID),
                              SQLBind(change.file), SQLBind(checkedBy == nil ? nil : now), SQLBind(checkedBy), SQLBind(now))
            }
            try await insert.run()
            pending.removeAll()
        }
        try await chain.flush(on: db)
    }
}
