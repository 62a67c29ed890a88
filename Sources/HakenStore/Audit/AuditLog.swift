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
        /// The keyed chain's value for this entry (HMAC-SHA256 with the audit key).
        public var mac: String
    }

    /// Appends one entry, through the same `Chain` the batches use (one way to build and hash
    /// a row). Concurrent writers race for the next `seq`; the unique index lets exactly one
    /// win and the others retry on top of it.
    @discardableResult
    public static func append(_ entry: Entry, on database: Database, key: AuditKey, now: Date) async throws -> Appended {
        var lastError: Error?
        for _ in 0..<20 {
            do {
                return try await database.hakenTransaction { db in
                    var chain = try await Chain.start(on: db, key: key)
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
        private let key: AuditKey
        private var lastSeq: Int64
        private var lastHash: String
        private var lastMac: String
        private var pending: [Row] = []

        private struct Row: Sendable {
            var seq: Int64
            var at, actor, action, subject, details, prevHash, hash, mac: String
        }

        /// The chain's end as stored. The keyed chain continues from the last entry's MAC, or,
        /// for the first keyed entry after entries written before the key existed, from its hash.
        public static func start(on database: Database, key: AuditKey) async throws -> Chain {
            let last = try await AuditEntryModel.query(on: database).sort(\.$seq, .descending).first()
            return Chain(key: key, lastSeq: last?.seq ?? 0, lastHash: last?.hash ?? genesisHash,
                         lastMac: last.map { $0.mac ?? $0.hash } ?? genesisHash)
        }

        public mutating func append(_ entry: Entry, now: Date) {
            var row = Row(seq: lastSeq + 1, at: timestamp(now), actor: entry.actor, action: entry.action, subject: entry.subject,
                          details: canonicalJSON(entry.details), prevHash: lastHash, hash: "", mac: "")
            let fields = AuditLog.hashedText(seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject,
                                             details: row.details)
            row.hash = AuditLog.hash(prevHash: row.prevHash, fields: fields)
            row.mac = key.mac(prev: lastMac, fields: fields)
            pending.append(row)
            lastSeq = row.seq
            lastHash = row.hash
            lastMac = row.mac
        }

        /// The last entry appended and not yet flushed.
        var pendingEnd: Appended? {
            pending.last.map { Appended(seq: $0.seq, prevHash: $0.prevHash, hash: $0.hash, mac: $0.mac) }
        }

        public mutating func flush(on database: Database) async throws {
            guard !pending.isEmpty else { return }
            let insert = try database.sql().insert(into: AuditEntryModel.schema)
                .columns("id", "seq", "at", "actor", "action", "subject", "details", "prev_hash", "hash", "mac")
            for row in pending {
                insert.values(SQLBind(UUID()), SQLBind(row.seq), SQLBind(row.at), SQLBind(row.actor), SQLBind(row.action),
                              SQLBind(row.subject), SQLBind(row.details), SQLBind(row.prevHash), SQLBind(row.hash), SQLBind(row.mac))
            }
            try await insert.run()
            pending.removeAll()
        }
    }

    public enum Verification: Equatable, Sendable {
        case intact(entries: Int)
        /// The first entry that is not what its content, its predecessor and the key say it
        /// must be.
        case broken(seq: Int64, reason: String)
    }

    /// Re-computes both chains, streaming the log in pages: the SHA-256 chain (anyone can
    /// recompute it) and the keyed chain (only with the key, which is not in the database).
    /// Entries written before the key existed have no MAC; once one has, every later one must.
    public static func verify(on database: Database, key: AuditKey, pageSize: Int = 1000) async throws -> Verification {
        var expectedPrev = genesisHash
        var expectedMac = genesisHash
        var keyed = false
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
                let fields = hashedText(seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action,
                                        subject: entry.subject, details: entry.details)
                if hash(prevHash: entry.prevHash, fields: fields) != entry.hash {
                    return .broken(seq: entry.seq, reason: "content does not match its hash")
                }
                if let mac = entry.mac {
                    if key.mac(prev: expectedMac, fields: fields) != mac {
                        return .broken(seq: entry.seq, reason: "its MAC does not match: changed by someone without the audit key, or the key file is not the one the log was written with")
                    }
                    keyed = true
                    expectedMac = mac
                } else if keyed {
                    return .broken(seq: entry.seq, reason: "it has no MAC although the entries before it have: written by someone without the audit key")
                } else {
                    expectedMac = entry.hash
                }
                expectedPrev = entry.hash
                expectedSeq += 1
            }
        }
    }

    /// Whether any entry carries a MAC (then the key must not be replaced).
    public static func isKeyed(on database: Database) async throws -> Bool {
        try await AuditEntryModel.query(on: database).filter(\.$mac != nil).count() > 0
    }

    /// The chain's newest entry: what an anchor records.
    public static func head(on database: Database) async throws -> (seq: Int64, mac: String)? {
        guard let last = try await AuditEntryModel.query(on: database).sort(\.$seq, .descending).first() else { return nil }
        return (last.seq, last.mac ?? last.hash)
    }

    /// The MAC (or, before the key, the hash) of entry `seq`; nil when there is none.
    public static func mac(ofEntry seq: Int64, on database: Database) async throws -> String? {
        guard let entry = try await AuditEntryModel.query(on: database).filter(\.$seq == seq).first() else { return nil }
        return entry.mac ?? entry.hash
    }

    /// The hashed fields in their one order, JSON-escaped so that no value can imitate a
    /// separator (appending one entry, appending a batch and verifying all use this).
    static func hashedText(seq: Int64, at: String, actor: String, action: String, subject: String, details: String) -> String {
        [String(seq), at, actor, action, subject, details].map(jsonString).joined(separator: "\n")
    }

    /// SHA-256 over the previous hash and the fields (fed in pieces: no joined copy).
    static func hash(prevHash: String, fields: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Data((jsonString(prevHash) + "\n").utf8))
        var text = fields
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return hasher.finalize().hexString
    }

    static func canonicalJSON(_ details: [String: String]) -> String {
        "{" + details.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }.joined(separator: ",") + "}"
    }

    /// The chain's hashes depend on this quoting: changing it would break existing logs.
    static func jsonString(_ text: String) -> String { JSONQuoting.quoted(text) }

    /// `2019-08-21T10:30:00.123+09:00`: Tokyo time with milliseconds, written by hand
    /// (a formatter per entry was a visible part of processing a mail).
    public static func timestamp(_ date: Date) -> String {
        let range = TokyoClock.secondsRange   // any Date, even a nonsense one, gives a timestamp rather than a trap
        let clamped = date.timeIntervalSince1970.isNaN ? 0 : min(max(date.timeIntervalSince1970, range.lowerBound), range.upperBound)
        let milliseconds = Int((clamped * 1000).rounded(.down))
        let local = TokyoClock.local(secondsSince1970: Double(milliseconds) / 1000)
        let withinMinute = ((milliseconds % 60_000) + 60_000) % 60_000
        let seconds = withinMinute / 1000, millis = withinMinute % 1000
        let fraction = millis < 10 ? "00\(millis)" : (millis < 100 ? "0\(millis)" : "\(millis)")
        return "\(local.date.iso)T\(local.time.hhmm):\(seconds < 10 ? "0" : "")\(seconds).\(fraction)+09:00"
    }
}
