import Fluent
import Foundation
import HakenCore
import HakenMail
import HakenStore
import SQLKit

/// What processing a batch of mails reads and writes, inside the batch's transaction.
/// The reads every report needs — sender, the day's dispatches, their checklists, the
/// audit chain's end, receipts already queued — are a handful of queries for the whole
/// batch; each mail then costs its own few writes. Later mails of a batch see what earlier
/// ones recorded (a start and an end report of one dispatch can share a batch).
/// Plain SQL rows, not Fluent models: decoding models by reflection was most of the time.
final class MailBatch: @unchecked Sendable {
    struct Business: Sendable, Equatable { var id: UUID; var name: String }

    struct Dispatch: Sendable {
        var id: UUID
        var schedule: DispatchSchedule
        var expertName: String
    }

    struct Item: Sendable { var id: UUID; var status: String }

    private let db: Database
    private let sql: any SQLDatabase
    private var businesses: [String: Business?] = [:]
    private var dispatches: [String: [Dispatch]] = [:]
    private var checklists: [UUID: [EvidenceKind: Item]] = [:]
    private var chain: AuditLog.Chain
    private var queuedReceiptKeys: Set<String> = []
    /// Receipts to each sender in the last hour: the database's, then this batch's.
    private var receiptTimes: [String: [Date]] = [:]
    private var newItems: [NewItem] = []
    private var newReceipts: [@Sendable () -> Outbox.Row] = []
    private var finished: [Finished] = []

    private struct Finished {
        var id: UUID
        var status: String
        var reason: String
        var dispatchID: UUID?
        var evidenceKind: String?
        var problems: String?
        var now: Date
    }

    private struct NewItem {
        var id: UUID
        var dispatchID: UUID
        var kind: EvidenceKind
        var status: EvidenceStatus
        var receivedAt: Date
        var note: String?
        var sourceMailID: UUID
        var filePath: String?
        var now: Date
    }

    private init(db: Database, sql: any SQLDatabase, chain: AuditLog.Chain) {
        self.db = db
        self.sql = sql
        self.chain = chain
    }

    /// Reads up front what the batch's mails will ask for.
    static func prepare(_ mails: [(row: QueuedMail, message: MailMessage)], on db: Database) async throws -> MailBatch {
        let batch = MailBatch(db: db, sql: try db.sql(), chain: try await AuditLog.Chain.start(on: db))
        let senders = Set(mails.compactMap { $0.row.sender(of: $0.message) })
        try await batch.loadBusinesses(Array(senders))

        // The days the reports name, for the businesses that sent them.
        var days: Set<String> = []
        var businessIDs: Set<UUID> = []
        for mail in mails {
            guard let sender = mail.row.sender(of: mail.message),
                  let business = batch.businesses[sender] ?? nil, let report = mail.message.report else { continue }
            guard let date = ReportTiming.inferDate(month: report.month, day: report.day, receivedOn: mail.row.receivedInTokyo.date) else { continue }
            days.insert(date.iso)
            businessIDs.insert(business.id)
        }
        try await batch.loadDispatches(businessIDs: Array(businessIDs), days: Array(days))
        try await batch.loadChecklists(Array(batch.dispatches.values.joined().map(\.id)))

        let keys = mails.map { Outbox.receiptKey($0.row.id) }
        if !keys.isEmpty {
            let rows = try await batch.sql.raw("SELECT dedupe_key FROM outbox WHERE dedupe_key IN (\(binds: keys))").all()
            batch.queuedReceiptKeys = Set(try rows.map { try $0.decode(column: "dedupe_key", as: String.self) })
        }
        return batch
    }

    // MARK: - Reads

    func business(email: String) async throws -> Business? {
        if let known = businesses[email] { return known }
        try await loadBusinesses([email])
        return businesses[email] ?? nil
    }

    func dispatches(businessID: UUID, date: CivilDate) async throws -> [Dispatch] {
        let key = Self.dayKey(businessID, date.iso)
        if let known = dispatches[key] { return known }
        try await loadDispatches(businessIDs: [businessID], days: [date.iso])
        try await loadChecklists(dispatches[key]?.map(\.id) ?? [])
        return dispatches[key] ?? []
    }

    func checklist(_ dispatchID: UUID) async throws -> [EvidenceKind: Item] {
        if let known = checklists[dispatchID] { return known }
        try await loadChecklists([dispatchID])
        return checklists[dispatchID] ?? [:]
    }

    private func loadBusinesses(_ emails: [String]) async throws {
        guard !emails.isEmpty else { return }
        let rows = try await sql.raw("""
            SELECT id, name, email_key, mobile_email_key FROM businesses
            WHERE email_key IN (\(binds: emails)) OR mobile_email_key IN (\(binds: emails))
            """).all()
        for email in emails where businesses[email] == nil { businesses[email] = .some(nil) }
        for row in rows {
            let business = Business(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self))
            // REG-2: the registered address wins over another business's mobile address.
            if let mobile = try row.decode(column: "mobile_email_key", as: String?.self), businesses[mobile] == .some(nil) {
                businesses[mobile] = business
            }
            businesses[try row.decode(column: "email_key", as: String.self)] = business
        }
    }

    private func loadDispatches(businessIDs: [UUID], days: [String]) async throws {
        guard !businessIDs.isEmpty, !days.isEmpty else { return }
        let rows = try await sql.raw("""
            SELECT d.id, d.business_id, d.date, d.start_time, d.end_time, d.place, d.cancelled, e.name AS expert_name
            FROM dispatches d JOIN experts e ON e.id = d.expert_id
            WHERE d.business_id IN (\(binds: businessIDs)) AND d.date IN (\(binds: days))
            """).all()
        for id in businessIDs { for day in days where dispatches[Self.dayKey(id, day)] == nil { dispatches[Self.dayKey(id, day)] = [] } }
        for row in rows where try !row.decode(column: "cancelled", as: Bool.self) {
            let date = try row.decode(column: "date", as: String.self)
            guard let day = CivilDate(iso: date),
                  let start = TimeOfDay(hhmm: try row.decode(column: "start_time", as: String.self)),
                  let end = TimeOfDay(hhmm: try row.decode(column: "end_time", as: String.self)) else { continue }
            let dispatch = Dispatch(id: try row.decode(column: "id", as: UUID.self),
                                    schedule: DispatchSchedule(date: day, start: start, end: end, place: try row.decode(column: "place", as: String.self)),
                                    expertName: try row.decode(column: "expert_name", as: String.self))
            dispatches[Self.dayKey(try row.decode(column: "business_id", as: UUID.self), date), default: []].append(dispatch)
        }
    }

    private func loadChecklists(_ dispatchIDs: [UUID]) async throws {
        let missing = dispatchIDs.filter { checklists[$0] == nil }
        guard !missing.isEmpty else { return }
        let rows = try await sql.raw("SELECT id, dispatch_id, kind, status FROM evidence WHERE dispatch_id IN (\(binds: missing))").all()
        for id in missing { checklists[id] = [:] }
        for row in rows {
            guard let kind = EvidenceKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            checklists[try row.decode(column: "dispatch_id", as: UUID.self), default: [:]][kind] =
                Item(id: try row.decode(column: "id", as: UUID.self), status: try row.decode(column: "status", as: String.self))
        }
    }

    // MARK: - Writes

    /// One checklist item, created or replaced (what `DispatchRecords.record` does, in SQL).
    func record(_ kind: EvidenceKind, status: EvidenceStatus, receivedAt: Date, note: String?, dispatchID: UUID,
                sourceMailID: UUID, filePath: String?, now: Date) async throws {
        let existing = try await checklist(dispatchID)[kind]
        if let existing, let pending = newItems.firstIndex(where: { $0.id == existing.id }) {
            // Recorded earlier in this batch and not yet written: the INSERT carries the latest.
            newItems[pending] = NewItem(id: existing.id, dispatchID: dispatchID, kind: kind, status: status, receivedAt: receivedAt, note: note,
                                        sourceMailID: sourceMailID, filePath: filePath, now: now)
        } else if let existing {
            try await sql.update(EvidenceModel.schema)
                .set("status", to: SQLBind(status.rawValue)).set("received_at", to: SQLBind(receivedAt))
                .set("note", to: SQLBind(note)).set("source_mail_id", to: SQLBind(sourceMailID))
                .set("file_path", to: SQLBind(filePath)).set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(existing.id))
                .run()
        } else {
            let id = UUID()
            newItems.append(NewItem(id: id, dispatchID: dispatchID, kind: kind, status: status, receivedAt: receivedAt, note: note,
                                    sourceMailID: sourceMailID, filePath: filePath, now: now))
            checklists[dispatchID, default: [:]][kind] = Item(id: id, status: status.rawValue)
            return
        }
        checklists[dispatchID]?[kind]?.status = status.rawValue
    }

    /// The mail's outcome, on its row (written by `flush`, one UPDATE for the batch).
    func finish(_ row: QueuedMail, status: InboundMailModel.Status, reason: String, dispatchID: UUID?,
                evidenceKind: String?, problems: String?, now: Date) {
        finished.append(Finished(id: row.id, status: status.rawValue, reason: reason, dispatchID: dispatchID,
                                 evidenceKind: evidenceKind, problems: problems, now: now))
    }

    /// `UPDATE … SET column = CASE id WHEN … THEN … END, …` for every finished mail: one
    /// statement, in both databases. PostgreSQL needs the types of the uuid and time values
    /// spelled out inside CASE; SQLite must not get them (they would change the values).
    private func writeFinished() async throws {
        guard !finished.isEmpty else { return }
        let postgres = sql.dialect.name == "postgresql"
        func typed(_ value: some Encodable & Sendable, _ type: String) -> SQLQueryString {
            postgres ? "CAST(\(bind: value) AS \(unsafeRaw: type))" : "\(bind: value)"
        }
        func column(_ name: String, _ value: (Finished) -> SQLQueryString) -> SQLQueryString {
            var part: SQLQueryString = "\(ident: name) = CASE id"
            for mail in finished { part += " WHEN \(typed(mail.id, "uuid")) THEN " + value(mail) }
            return part + " END"
        }
        var query: SQLQueryString = "UPDATE \(ident: InboundMailModel.schema) SET "
        query += column("status") { "\(bind: $0.status)" } + ", "
        query += column("reason") { "\(bind: $0.reason)" } + ", "
        query += column("dispatch_id") { typed($0.dispatchID, "uuid") } + ", "
        query += column("evidence_kind") { "\(bind: $0.evidenceKind)" } + ", "
        query += column("problems") { "\(bind: $0.problems)" } + ", "
        query += column("processed_at") { typed($0.now, "timestamptz") }
        query += " WHERE id IN (\(binds: finished.map(\.id)))"
        try await sql.raw(query).run()
        finished.removeAll()
    }

    func audit(_ entry: AuditLog.Entry, now: Date) {
        chain.append(entry, now: now)
    }

    /// Writes what the batch held back for multi-row INSERTs (new checklist items, audit
    /// entries, receipts, the mails' outcomes). Must run before the batch's transaction commits.
    func flush() async throws {
        if !newItems.isEmpty {
            let insert = sql.insert(into: EvidenceModel.schema)
                .columns("id", "dispatch_id", "kind", "status", "received_at", "note", "source_mail_id", "file_path", "updated_at")
            for item in newItems {
                insert.values(SQLBind(item.id), SQLBind(item.dispatchID), SQLBind(item.kind.rawValue), SQLBind(item.status.rawValue),
                              SQLBind(item.receivedAt), SQLBind(item.note), SQLBind(item.sourceMailID), SQLBind(item.filePath), SQLBind(item.now))
            }
            try await insert.run()
            newItems.removeAll()
        }
        try await chain.flush(on: db)
        // Rendering a receipt (encoding, base64) is pure CPU: done side by side, on all cores,
        // while the transaction waits anyway.
        try await Outbox.enqueue(await newReceipts.concurrentMap { render in render() }, on: db)
        newReceipts.removeAll()
        try await writeFinished()
    }


    /// DEC-9: a receipt for one inbound mail, unless this sender already got `receiptsPerHour`
    /// receipts in the last hour (a loop or a flood), and never twice for one mail.
    func enqueueReceipt(to recipient: String, subject: String, body: String, inReplyTo: String?, mailID: UUID,
                        settings: MailSettings, now: Date) async throws {
        let key = Outbox.receiptKey(mailID)
        guard !queuedReceiptKeys.contains(key) else { return }
        let address = recipient.lowercased()
        if receiptTimes[address] == nil {   // the database's last hour, read once per sender and batch
            let rows = try await sql.raw("""
                SELECT created_at FROM outbox WHERE recipient = \(bind: address) AND created_at > \(bind: now.addingTimeInterval(-3600))
                """).all()
            receiptTimes[address] = try rows.map { try $0.decode(column: "created_at", as: Date.self) }
        }
        let recent = receiptTimes[address, default: []].filter { $0 > now.addingTimeInterval(-3600) }.count
        guard recent < settings.receiptsPerHour else { return }
        newReceipts.append {
            Outbox.receipt(to: address, subject: subject, body: body, inReplyTo: inReplyTo, mailID: mailID, settings: settings, now: now)
        }
        queuedReceiptKeys.insert(key)
        receiptTimes[address, default: []].append(now)
    }

    private static func dayKey(_ businessID: UUID, _ day: String) -> String { "\(businessID.uuidString)|\(day)" }
}
