import Crypto
import Fluent
import Foundation
import HakenMail
import HakenStore
import NIOConcurrencyHelpers
import Vapor

/// What every way in (SMTP, the HTTP pipe, the CLI) does with a message: store the raw
/// bytes durably and record them as queued, before anything is acknowledged (DEC-8).
/// Processing happens later, in `MailProcessor`.
///
/// Durability costs an fsync, so a report (small) travels in its row, and the rows of every
/// message that is waiting are committed together in one transaction (`IntakeCommitter`):
/// one fsync for the group (figures in docs/benchmarks.md).
/// Large messages (photos) are written to the blob store on a pool of their own, many at
/// once. No message is answered before its bytes and its row are durable.
public struct MailIntake: Sendable {
    public let blobs: BlobStore
    public let signal: MailSignal
    let writers: NIOThreadPool
    let committer: IntakeCommitter

    /// `writers` must be started (and shut down by its owner).
    public init(blobs: BlobStore, signal: MailSignal, writers: NIOThreadPool) {
        self.blobs = blobs
        self.signal = signal
        self.writers = writers
        self.committer = IntakeCommitter()
    }

    public typealias Accepted = IntakeCommitter.Accepted

    /// Messages up to this size (every report without a photo) are kept in their row, with no
    /// file of their own to create and fsync; larger ones in the blob store.
    public static let inlineLimit = 128 * 1024

    /// Stores the message and commits its row. When this returns, the message survives a crash.
    /// `clientAddress` and `helo`: the SMTP client's, kept for the SPF check.
    public func accept(_ raw: [UInt8], envelopeFrom: String?, envelopeTo: [String], source: String,
                       receivedAt: Date, clientAddress: String? = nil, helo: String? = nil, on db: Database) async throws -> Accepted {
        let hash: String, path: String
        if raw.count <= Self.inlineLimit {
            hash = SHA256.hash(data: raw).hexString
            path = ""
        } else {
            let blobs = self.blobs
            let stored = try await writers.runIfActive { try blobs.put(raw, kind: "mail", suffix: ".eml") }
            (hash, path) = (stored.sha256, stored.path)
        }
        let headerEnd = Self.headerBlockEnd(raw)
        let headers = MailReader.read(Array(raw[0..<headerEnd]) + [0x0D, 0x0A, 0x0D, 0x0A])
        let row = IntakeCommitter.Row(id: UUID(), messageID: headers.messageID, contentHash: hash, rawPath: path,
                                      raw: path.isEmpty ? Data(raw) : nil,
                                      size: raw.count, envelopeFrom: envelopeFrom, envelopeTo: envelopeTo.joined(separator: ","),
                                      receivedAt: receivedAt, source: source, fromAddress: headers.from, subject: headers.subject,
                                      clientAddress: clientAddress, helo: helo)
        let accepted = try await committer.commit(row, on: db)
        if !accepted.duplicate { signal.notify() }
        return accepted
    }

    /// Where the header block ends (for a quick read of From, Subject and Message-ID).
    static func headerBlockEnd(_ raw: [UInt8]) -> Int {
        var i = 0
        while i + 1 < raw.count {
            if raw[i] == 0x0A && raw[i + 1] == 0x0A { return i }
            if raw[i] == 0x0A && raw[i + 1] == 0x0D && i + 2 < raw.count && raw[i + 2] == 0x0A { return i }
            i += 1
        }
        return raw.count
    }
}

