import Fluent
import Foundation
import SQLKit

/// Group commit for intake rows. A message's row waits while the previous group commits;
/// then every row that arrived meanwhile is committed in one transaction (one fsync), and
/// each waiting session gets its answer. One message alone is committed at once — the
/// grouping costs nothing when mail is quiet and carries the rush when it is not.
public actor IntakeCommitter {
    public struct Row: Sendable {
        public var id: UUID
        public var messageID: String?
        public var contentHash: String
        public var rawPath: String
        public var raw: Data?
        public var size: Int
        public var envelopeFrom: String?
        public var envelopeTo: String
        public var receivedAt: Date
        public var source: String
        public var fromAddress: String?
        public var subject: String?
        /// The SMTP client's address and HELO name (SPF checks them); nil for the other ways in.
        public var clientAddress: String?
        public var helo: String?

        public init(id: UUID, messageID: String?, contentHash: String, rawPath: String, raw: Data?, size: Int, envelopeFrom: String?,
                    envelopeTo: String, receivedAt: Date, source: String, fromAddress: String?, subject: String?,
                    clientAddress: String? = nil, helo: String? = nil) {
            (self.id, self.messageID, self.contentHash, self.rawPath, self.raw, self.size) = (id, messageID, contentHash, rawPath, raw, size)
            (self.envelopeFrom, self.envelopeTo, self.receivedAt, self.source) = (envelopeFrom, envelopeTo, receivedAt, source)
            (self.fromAddress, self.subject, self.clientAddress, self.helo) = (fromAddress, subject, clientAddress, helo)
        }
    }

    public struct Accepted: Sendable {
        public var id: UUID
        /// The same message (same bytes) was stored before: nothing new was recorded.
        public var duplicate: Bool
    }

    public init() {}

    private var waiting: [(row: Row, database: any Database, answer: CheckedContinuation<Accepted, any Error>)] = []
    private var committing = false

    public func commit(_ row: Row, on database: any Database) async throws -> Accepted {
        try await withCheckedThrowingContinuation { answer in
            waiting.append((row, database, answer))
            if !committing {
                committing = true
                Task { await self.commitWaiting() }
            }
        }
    }

    private func commitWaiting() async {
        while !waiting.isEmpty {
            let group = waiting
            waiting.removeAll()
            do {
                let answers = try await Self.insert(group.map(\.row), on: group[0].database)
                for (member, accepted) in zip(group, answers) { member.answer.resume(returning: accepted) }
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // Another node stored one of these messages between our look and our insert:
                // one at a time, each then finds what is already there.
                for member in group {
                    do {
                        member.answer.resume(returning: try await Self.insert([member.row], on: member.database)[0])
                    } catch {
                        member.answer.resume(throwing: error)
                    }
                }
            } catch {
                for member in group { member.answer.resume(throwing: error) }
            }
        }
        committing = false
    }

    /// Inserts the group's new rows in one statement; a message already stored (or twice in
    /// the group) is answered with the first row's id. In a transaction for its watchdog: a
    /// database that vanishes mid-insert must not leave SMTP sessions waiting forever (the
    /// clients retry; the blobs are safe).
    static func insert(_ rows: [Row], on database: any Database) async throws -> [Accepted] {
        try await database.hakenTransaction(timeout: .seconds(20)) { tx in
            let sql = try tx.sql()
            let hashes = Array(Set(rows.map(\.contentHash)))
            let existing = try await sql.raw("SELECT id, content_hash FROM inbound_mail WHERE content_hash IN (\(binds: hashes))").all()
            var idByHash: [String: UUID] = [:]
            for row in existing { idByHash[try row.decode(column: "content_hash", as: String.self)] = try row.decode(column: "id", as: UUID.self) }
            var answers: [Accepted] = []
            var fresh: [Row] = []
            for row in rows {
                if let id = idByHash[row.contentHash] {
                    answers.append(.init(id: id, duplicate: true))
                } else {
                    idByHash[row.contentHash] = row.id
                    fresh.append(row)
                    answers.append(.init(id: row.id, duplicate: false))
                }
            }
            guard !fresh.isEmpty else { return answers }
            let insert = sql.insert(into: InboundMailModel.schema)
                .columns("id", "message_id", "content_hash", "raw_path", "raw", "size", "envelope_from", "envelope_to", "received_at",
                         "source", "status", "from_address", "subject", "client_address", "helo")
            for row in fresh {
                insert.values(SQLBind(row.id), SQLBind(row.messageID), SQLBind(row.contentHash), SQLBind(row.rawPath), SQLBind(row.raw), SQLBind(row.size),
                              SQLBind(row.envelopeFrom), SQLBind(row.envelopeTo), SQLBind(row.receivedAt), SQLBind(row.source),
                              SQLBind(InboundMailModel.Status.queued.rawValue), SQLBind(row.fromAddress), SQLBind(row.subject),
                              SQLBind(row.clientAddress), SQLBind(row.helo))
            }
            try await insert.run()
            return answers
        }
    }
}
