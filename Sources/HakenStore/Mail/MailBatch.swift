import Fluent
import Foundation
import HakenCore
import SQLKit

/// What processing a batch of mails reads and writes, inside the batch's transaction.
/// The reads every mail needs — who owns each sender address, the day's dispatches and
/// their checklists, receipts already queued — are a handful of queries for the whole
/// batch; each mail then costs its own few writes. Later mails of a batch see what earlier
/// ones recorded (a start and an end report of one dispatch can share a batch).
public final class MailBatch: @unchecked Sendable {
    /// Who an address belongs to (REG-2, DAY-3, DEC-10).
    public enum Owner: Sendable, Equatable {
        case business(BusinessRef, SenderTrust)
        /// A business's mobile address that has not been verified yet: it counts as unknown.
        case unverifiedMobile
        case expert
        case institution(UUID)
        case nobody
    }

    private struct DispatchInfo {
        var id: UUID
        var business: BusinessRef
        var expertName: String
        var schedule: DispatchSchedule
        var cancelled: Bool
    }

    private let db: Database
    private let sql: any SQLDatabase
    public let evidence: EvidenceWriter
    private var owners: [String: Owner] = [:]
    /// Dispatches by "business|day" and by day (for senders who are not the business).
    private var byBusinessDay: [String: [DispatchInfo]] = [:]
    private var byDay: [String: [DispatchInfo]] = [:]
    /// Every dispatch loaded, for the names a matched mail is found by in the inbox.
    private var namesByDispatch: [UUID: (business: String, expert: String)] = [:]
    private var institutionBusinesses: [UUID: [BusinessRef]] = [:]
    private var queuedReceiptKeys: Set<String> = []
    /// Receipts in the last hour: to each address, and to unregistered senders overall.
    private var receiptTimes: [String: [Date]] = [:]
    private var unregisteredReceiptTimes: [Date]?
    private var newReceipts: [@Sendable () -> Outbox.Row] = []
    private var finished: [Finished] = []
    private var queued: [MailQueues.Entry] = []

    private struct Finished {
        var id: UUID
        var status: String
        var reason: String
        var dispatchID: UUID?
        var evidenceKind: String?
        var reported: String?
        var problems: String?
        var flags: String?
        var mtaReceivedAt: Date?
        var senderAuth: String?
        var senderAuthVerdict: String?
        var searchText: String
        var now: Date
    }

    private init(db: Database, sql: any SQLDatabase, evidence: EvidenceWriter) {
        self.db = db
        self.sql = sql
        self.evidence = evidence
    }

    /// Starts a batch and reads who owns the senders' addresses and which receipts exist.
    public static func start(senders: [String], mailIDs: [UUID], on db: Database, key: AuditKey) async throws -> MailBatch {
        let batch = MailBatch(db: db, sql: try db.sql(), evidence: try await EvidenceWriter.start(on: db, key: key))
        try await batch.loadOwners(Array(Set(senders.map { $0.lowercased() })))
        let keys = mailIDs.map(Outbox.receiptKey)
        if !keys.isEmpty {
            let rows = try await batch.sql.raw("SELECT dedupe_key FROM outbox WHERE dedupe_key IN (\(binds: keys))").all()
            batch.queuedReceiptKeys = Set(try rows.map { try $0.decode(column: "dedupe_key", as: String.self) })
        }
        return batch
    }

    // MARK: - Reads

    public func owner(of address: String) async throws -> Owner {
        let key = address.lowercased()
        if owners[key] == nil { try await loadOwners([key]) }
        return owners[key] ?? .nobody
    }

    private func loadOwners(_ addresses: [String]) async throws {
        let wanted = addresses.filter { owners[$0] == nil }
        guard !wanted.isEmpty else { return }
        let rows = try await sql.raw("""
            SELECT 'business' AS role, id, name, email_key AS address, 0 AS mobile, mobile_verified_at FROM businesses
              WHERE email_key IN (\(binds: wanted))
            UNION ALL SELECT 'business', id, name, mobile_email_key, 1, mobile_verified_at FROM businesses
              WHERE mobile_email_key IN (\(binds: wanted))
            UNION ALL SELECT 'expert', id, name, email_key, 0, NULL FROM experts WHERE email_key IN (\(binds: wanted))
            UNION ALL SELECT 'institution', id, name, email_key, 0, NULL FROM institutions WHERE email_key IN (\(binds: wanted))
            """).all()
        for address in wanted { owners[address] = .nobody }
        // REG-2: a registered address outranks every other use of the same address.
        func rank(_ owner: Owner) -> Int {
            switch owner {
            case .business(_, let trust): return trust == .registered ? 5 : 4
            case .unverifiedMobile: return 1
            case .expert: return 3
            case .institution: return 2
            case .nobody: return 0
            }
        }
        for row in rows {
            let address = try row.decode(column: "address", as: String.self)
            let id = try row.decode(column: "id", as: UUID.self)
            let owner: Owner
            switch try row.decode(column: "role", as: String.self) {
            case "business":
                let ref = BusinessRef(id: id, name: try row.decode(column: "name", as: String.self))
                if try row.decode(column: "mobile", as: Int.self) == 0 {
                    owner = .business(ref, .registered)
                } else {
                    owner = try row.decode(column: "mobile_verified_at", as: Date?.self) == nil ? .unverifiedMobile : .business(ref, .verifiedMobile)
                }
            case "expert": owner = .expert
            default: owner = .institution(id)
            }
            if rank(owner) > rank(owners[address] ?? .nobody) { owners[address] = owner }
        }
    }

    /// Reads the dispatches (and their checklists) of these business-days and whole days.
    public func loadDispatches(businessDays: [(UUID, CivilDate)], days: [CivilDate]) async throws {
        let pairs = businessDays.filter { byBusinessDay[Self.key($0.0, $0.1.iso)] == nil }
        let wholeDays = Array(Set(days.map(\.iso).filter { byDay[$0] == nil }))
        var loaded: [UUID] = []
        if !pairs.isEmpty {
            let businessIDs = Array(Set(pairs.map(\.0)))
            let isoDays = Array(Set(pairs.map(\.1.iso)))
            for (id, day) in pairs { byBusinessDay[Self.key(id, day.iso)] = [] }
            for info in try await dispatches(where: "d.business_id IN (\(binds: businessIDs)) AND d.date IN (\(binds: isoDays))") {
                byBusinessDay[Self.key(info.business.id, info.schedule.date.iso)]?.append(info)
                loaded.append(info.id)
            }
        }
        if !wholeDays.isEmpty {
            for day in wholeDays { byDay[day] = [] }
            for info in try await dispatches(where: "d.date IN (\(binds: wholeDays))") {
                byDay[info.schedule.date.iso]?.append(info)
                loaded.append(info.id)
            }
        }
        try await evidence.load(loaded)
    }

    private func dispatches(where condition: SQLQueryString) async throws -> [DispatchInfo] {
        let rows = try await sql.raw("""
            SELECT d.id, d.business_id, b.name AS business_name, d.date, d.start_time, d.end_time, d.place, d.cancelled,
                   e.name AS expert_name
            FROM dispatches d JOIN experts e ON e.id = d.expert_id JOIN businesses b ON b.id = d.business_id
            WHERE 
            """ as SQLQueryString + condition).all()
        var result: [DispatchInfo] = []
        defer { for info in result { namesByDispatch[info.id] = (info.business.name, info.expertName) } }
        for row in rows {
            guard let day = CivilDate(iso: try row.decode(column: "date", as: String.self)),
                  let start = TimeOfDay(hhmm: try row.decode(column: "start_time", as: String.self)),
                  let end = TimeOfDay(hhmm: try row.decode(column: "end_time", as: String.self)) else { continue }
            result.append(DispatchInfo(
                id: try row.decode(column: "id", as: UUID.self),
                business: BusinessRef(id: try row.decode(column: "business_id", as: UUID.self),
                                      name: try row.decode(column: "business_name", as: String.self)),
                expertName: try row.decode(column: "expert_name", as: String.self),
                schedule: DispatchSchedule(date: day, start: start, end: end, place: try row.decode(column: "place", as: String.self)),
                cancelled: try row.decode(column: "cancelled", as: Bool.self)))
        }
        return result
    }

    /// The business's dispatches on the day, with their checklists as recorded so far.
    public func candidates(businessID: UUID, day: CivilDate) async throws -> [CandidateDispatch] {
        try await loadDispatches(businessDays: [(businessID, day)], days: [])
        return (byBusinessDay[Self.key(businessID, day.iso)] ?? []).map(candidate)
    }

    /// Every dispatch on the day (DEC-7: a sender who is not the business).
    public func candidates(day: CivilDate) async throws -> [CandidateDispatch] {
        try await loadDispatches(businessDays: [], days: [day])
        return (byDay[day.iso] ?? []).map(candidate)
    }

    private func candidate(_ info: DispatchInfo) -> CandidateDispatch {
        let items = evidence.checklist(info.id).mapValues { item in
            RecordedEvidence(status: item.status, trust: item.trust,
                             receivedAt: item.receivedAt.map { TokyoClock.local(secondsSince1970: $0.timeIntervalSince1970) })
        }
        return CandidateDispatch(id: info.id, business: info.business, expertName: info.expertName, schedule: info.schedule, evidence: items,
                                 cancelled: info.cancelled)
    }

    /// AFT-1: the businesses an institution has filed dispatches for.
    public func businesses(servedBy institutionID: UUID) async throws -> [BusinessRef] {
        if let known = institutionBusinesses[institutionID] { return known }
        let rows = try await sql.raw("""
            SELECT DISTINCT b.id, b.name FROM dispatches d JOIN businesses b ON b.id = d.business_id
            WHERE d.institution_id = \(bind: institutionID)
            """).all()
        let refs = try rows.map { BusinessRef(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self)) }
        institutionBusinesses[institutionID] = refs
        return refs
    }

    // MARK: - Writes

    /// AFT-1: a consent candidate; an accepted consent for the year stays as it is.
    public func recordConsent(_ consent: ConsentChange, receivedAt: Date, note: String, mailID: UUID? = nil, now: Date) async throws {
        try await PhotoConsents.recordCandidate(businessID: consent.businessID, fiscalYear: consent.fiscalYear, receivedAt: receivedAt,
                                                note: note, source: "mail", mailID: mailID, on: db)
    }

    /// The mail's outcome, on its row (written by `flush`, one UPDATE for the batch).
    /// `from` and `subject` (as stored at intake) go into the inbox's search text with the
    /// reason and the matched dispatch's names.
    public func finish(_ mailID: UUID, decision: MailDecision, problems: [String], mtaReceivedAt: Date?,
                       authentication: SenderAuthentication? = nil, from: String?, subject: String?, storedAt: Date, now: Date) {
        let names = decision.dispatchID.flatMap { namesByDispatch[$0] }
        let late = decision.evidence.contains { ($0.kind == .startReport || $0.kind == .endReport) && $0.status == .late }
        for queue in DeskQueue.queues(status: decision.status, flags: decision.flags, lateReport: late) {
            queued.append(MailQueues.Entry(mailID: mailID, queue: queue, receivedAt: storedAt))
        }
        finished.append(Finished(id: mailID, status: decision.status.rawValue, reason: decision.reason, dispatchID: decision.dispatchID,
                                 evidenceKind: decision.evidence.first?.kind.rawValue, reported: decision.reported?.rawValue,
                                 problems: problems.isEmpty ? nil : problems.joined(separator: ","),
                                 flags: decision.flags.isEmpty ? nil : decision.flags.map(\.rawValue).joined(separator: ","),
                                 mtaReceivedAt: mtaReceivedAt,
                                 senderAuth: authentication.map { "\($0.reason) — \($0.summary)" },
                                 senderAuthVerdict: authentication?.verdict.rawValue,
                                 searchText: MailInbox.searchText([from, subject, decision.reason, names?.business, names?.expert]), now: now))
    }

    public struct ReceiptLimits: Sendable {
        /// At most this many receipts to one address per hour (loops, floods).
        public var perAddressPerHour: Int
        /// DEC-12: at most this many neutral receipts to unregistered senders per hour, overall.
        public var unregisteredPerHour: Int

        public init(perAddressPerHour: Int, unregisteredPerHour: Int) {
            self.perAddressPerHour = perAddressPerHour
            self.unregisteredPerHour = unregisteredPerHour
        }
    }

    /// DEC-9/DEC-12: a receipt for one inbound mail, never twice for one mail, and only
    /// within the hourly bounds. Returns whether it was queued.
    @discardableResult
    public func enqueueReceipt(_ receipt: Receipt, body: String, inReplyTo: String?, mailID: UUID, sender: Outbox.Sender,
                               limits: ReceiptLimits, now: Date) async throws -> Bool {
        let key = Outbox.receiptKey(mailID)
        guard !queuedReceiptKeys.contains(key), !receipt.to.isEmpty else { return false }
        let hourAgo = now.addingTimeInterval(-3600)
        let address = receipt.to.lowercased()
        // Receipts only: notices and links to the same person (a dispatch filed, a certification
        // request) do not use up the receipts they are owed.
        if receiptTimes[address] == nil {   // the database's last hour, read once per address and batch
            let rows = try await sql.raw("""
                SELECT created_at FROM outbox WHERE recipient = \(bind: address) AND created_at > \(bind: hourAgo)
                  AND (kind IS NULL OR kind IN (\(bind: Outbox.Kind.receipt.rawValue), \(bind: Outbox.Kind.receiptUnregistered.rawValue)))
                """).all()
            receiptTimes[address] = try rows.map { try $0.decode(column: "created_at", as: Date.self) }
        }
        guard receiptTimes[address, default: []].filter({ $0 > hourAgo }).count < limits.perAddressPerHour else { return false }
        let kind: Outbox.Kind = receipt.audience == .party ? .receipt : .receiptUnregistered
        if kind == .receiptUnregistered {
            if unregisteredReceiptTimes == nil {
                let rows = try await sql.raw("""
                    SELECT created_at FROM outbox WHERE kind = \(bind: kind.rawValue) AND created_at > \(bind: hourAgo)
                    """).all()
                unregisteredReceiptTimes = try rows.map { try $0.decode(column: "created_at", as: Date.self) }
            }
            guard (unregisteredReceiptTimes ?? []).filter({ $0 > hourAgo }).count < limits.unregisteredPerHour else { return false }
            unregisteredReceiptTimes?.append(now)
        }
        let subject = receipt.message.subject
        newReceipts.append {
            Outbox.receipt(kind, to: address, subject: subject, body: body, inReplyTo: inReplyTo, mailID: mailID, sender: sender, now: now)
        }
        queuedReceiptKeys.insert(key)
        receiptTimes[address, default: []].append(now)
        return true
    }

    /// Writes what the batch held back (new checklist items, audit entries, receipts, the
    /// mails' outcomes). Must run before the batch's transaction commits.
    public func flush() async throws {
        try await evidence.flush()
        // Rendering a receipt (encoding, base64) is pure CPU: done side by side, on all cores,
        // while the transaction waits anyway.
        let renders = newReceipts
        newReceipts.removeAll()
        try await Outbox.enqueue(await renders.concurrentMap { render in render() }, on: db)
        try await writeFinished()
        try await MailQueues.add(queued, on: db)
        queued.removeAll()
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
        // A queued row's outcome columns are still NULL: a column no mail of the batch sets is
        // left out (less SQL for the database to parse per batch).
        if finished.contains(where: { $0.dispatchID != nil }) { query += column("dispatch_id") { typed($0.dispatchID, "uuid") } + ", " }
        if finished.contains(where: { $0.evidenceKind != nil }) { query += column("evidence_kind") { "\(bind: $0.evidenceKind)" } + ", " }
        if finished.contains(where: { $0.reported != nil }) { query += column("reported") { "\(bind: $0.reported)" } + ", " }
        if finished.contains(where: { $0.problems != nil }) { query += column("problems") { "\(bind: $0.problems)" } + ", " }
        if finished.contains(where: { $0.flags != nil }) { query += column("flags") { "\(bind: $0.flags)" } + ", " }
        if finished.contains(where: { $0.mtaReceivedAt != nil }) {
            query += column("mta_received_at") { typed($0.mtaReceivedAt, "timestamptz") } + ", "
        }
        if finished.contains(where: { $0.senderAuthVerdict != nil }) {
            query += column("sender_auth") { "\(bind: $0.senderAuth)" } + ", "
            query += column("sender_auth_verdict") { "\(bind: $0.senderAuthVerdict)" } + ", "
        }
        query += column("search_text") { "\(bind: $0.searchText)" } + ", "
        query += column("processed_at") { typed($0.now, "timestamptz") }
        query += " WHERE id IN (\(binds: finished.map(\.id)))"
        try await sql.raw(query).run()
        finished.removeAll()
    }

    private static func key(_ businessID: UUID, _ day: String) -> String { "\(businessID.uuidString)|\(day)" }
}
