import Crypto
import Fluent
import SQLKit
import Foundation
import HakenCore

/// The append-only, hash-chained audit log (NOTE-3). Each entry holds the SHA-256 of the
/// previous one, so changing or removing any entry breaks every hash after it.
public enum AuditLog {
    /// The `prev_hash` of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    public struct Entry: Sendable, Equatable {
        public var actor: String
        public var action: String
        public var subject: String
        public var details: [String: String]

        public init(actor: String, action: String, subject: String, details: [String: String] = [:]) {
            self.actor = actor
            self.action = action
            self.subject = subject
            self.details = details
        }
    }

    /// The one spelling of an entry's subject: `dispatch/9f1c…` (kind, then the lower-case UUID,
    /// or `-` when there is none).
    public static func subject(_ kind: String, _ id: UUID?) -> String {
        "\(kind)/\(id?.uuidString.lowercased() ?? "-")"
    }

    /// Where an entry landed in the chain.
    public struct Appended: Sendable, Equatable {
        public var seq: Int64
        public var prevHash: String
        public var hash: String
    }

    /// Appends one entry, through the same `Chain` the batches use (one way to build and hash
    /// a row). Concurrent writers race for the next `seq`; the unique index lets exactly one
    /// win and the others retry on top of it.
    @discardableResult
    public static func append(_ entry: Entry, on database: Database, now: Date) async throws -> Appended {
        var lastError: Error?
        for _ in 0..<20 {
            do {
                return try await database.hakenTransaction { db in
                    var chain = try await Chain.start(on: db)
                    chain.append(entry, now: now)
                    let appended = chain.pendingEnd
                    try await chain.flush(on: db)
                    guard let appended else { throw AppendFailed() }
                    return appended
                }
            } catch {
                guard let databaseError = error as? any DatabaseError, databaseError.isConstraintFailure else { throw error }
                lastError = error
                try await Task.sleep(nanoseconds: UInt64.random(in: 1_000_000...5_000_000))
            }
        }
        throw lastError ?? AppendFailed()
    }

    struct AppendFailed: Error {}

    /// Appends many entries inside one transaction (the mail job's batches): the chain's
    /// end is read once, the entries are hashed as they come and written by `flush` in one
    /// INSERT. The transaction must stay open from `start` to `flush`; a concurrent writer
    /// makes the unique `seq` fail, and the batch is retried.
    public struct Chain: Sendable {
        private var lastSeq: Int64
        private var lastHash: String
        private var pending: [Row] = []

        private struct Row: Sendable {
            var seq: Int64
            var at, actor, action, subject, details, prevHash, hash: String
        }

        public static func start(on database: Database) async throws -> Chain {
            let last = try await AuditEntryModel.query(on: database).sort(\.$seq, .descending).first()
            return Chain(lastSeq: last?.seq ?? 0, lastHash: last?.hash ?? genesisHash)
        }

        public mutating func append(_ entry: Entry, now: Date) {
            var row = Row(seq: lastSeq + 1, at: timestamp(now), actor: entry.actor, action: entry.action, subject: entry.subject,
                          details: canonicalJSON(entry.details), prevHash: lastHash, hash: "")
            row.hash = AuditLog.hash(prevHash: row.prevHash, seq: row.seq, at: row.at, actor: row.actor, action: row.action,
                                     subject: row.subject, details: row.details)
            pending.append(row)
            lastSeq = row.seq
            lastHash = row.hash
        }

        /// The last entry appended and not yet flushed.
        var pendingEnd: Appended? {
            pending.last.map { Appended(seq: $0.seq, prevHash: $0.prevHash, hash: $0.hash) }
        }

        public mutating func flush(on database: Database) async throws {
            guard !pending.isEmpty else { return }
            let insert = try database.sql().insert(into: AuditEntryModel.schema)
                .columns("id", "seq", "at", "actor", "action", "subject", "details", "prev_hash", "hash")
            for row in pending {
                insert.values(SQLBind(UUID()), SQLBind(row.seq), SQLBind(row.at), SQLBind(row.actor), SQLBind(row.action),
                              SQLBind(row.subject), SQLBind(row.details), SQLBind(row.prevHash), SQLBind(row.hash))
            }
            try await insert.run()
            pending.removeAll()
        }
    }

    public enum Verification: Equatable, Sendable {
        case intact(entries: Int)
        /// The first entry whose stored hashes do not match what its content and its
        /// predecessor say they must be.
        case broken(seq: Int64, reason: String)
    }

    /// Re-computes the whole chain, streaming it in pages.
    public static func verify(on database: Database, pageSize: Int = 1000) async throws -> Verification {
        var expectedPrev = genesisHash
        var expectedSeq: Int64 = 1
        while true {
            let page = try await AuditEntryModel.query(on: database)
                .filter(\.$seq >= expectedSeq)
                .sort(\.$seq, .ascending)
                .limit(pageSize)
                .all()
            if page.isEmpty { return .intact(entries: Int(expectedSeq - 1)) }
            for entry in page {
                if entry.seq != expectedSeq {
                    return .broken(seq: expectedSeq, reason: "entry \(expectedSeq) is missing")
                }
                if entry.prevHash != expectedPrev {
                    return .broken(seq: entry.seq, reason: "prev_hash does not match the previous entry")
                }
                if hash(of: entry) != entry.hash {
                    return .broken(seq: entry.seq, reason: "content does not match its hash")
                }
                expectedPrev = entry.hash
                expectedSeq += 1
            }
        }
    }

    /// SHA-256 over the previous hash and every field, newline-separated. Field values are
    /// JSON-escaped so that no value can imitate a separator.
    static func hash(of entry: AuditEntryModel) -> String {
        hash(prevHash: entry.prevHash, seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action,
             subject: entry.subject, details: entry.details)
    }

    /// The one place the hashed fields and their order are written (appending one entry,
    /// appending a batch, verifying).
    static func hash(prevHash: String, seq: Int64, at: String, actor: String, action: String, subject: String, details: String) -> String {
        let text = [prevHash, String(seq), at, actor, action, subject, details].map(jsonString).joined(separator: "\n")
        return SHA256.hash(data: Data(text.utf8)).hexString
    }

    static func canonicalJSON(_ details: [String: String]) -> String {
        "{" + details.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }.joined(separator: ",") + "}"
    }

    /// The chain's hashes depend on this quoting: changing it would break existing logs.
    static func jsonString(_ text: String) -> String { JSONQuoting.quoted(text) }

    /// `2019-08-21T10:30:00.123+09:00`: Tokyo time with milliseconds, written by hand
    /// (a formatter per entry was a visible part of processing a mail).
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let local = TokyoClock.local(secondsSince1970: Double(milliseconds) / 1000)
        let withinMinute = ((milliseconds % 60_000) + 60_000) % 60_000
        let seconds = withinMinute / 1000, millis = withinMinute % 1000
        let fraction = millis < 10 ? "00\(millis)" : (millis < 100 ? "0\(millis)" : "\(millis)")
        return "\(local.date.iso)T\(local.time.hhmm):\(seconds < 10 ? "0" : "")\(seconds).\(fraction)+09:00"
    }
}
