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
public struct MailIntake: Sendable {
    public let blobs: BlobStore
    public let signal: MailSignal

    public struct Accepted: Sendable {
        public var id: UUID
        /// The same message (same bytes) was stored before: nothing new was recorded.
        public var duplicate: Bool
    }

    /// Stores the message and commits its row. When this returns, the message survives a crash.
    public func accept(_ raw: [UInt8], envelopeFrom: String?, envelopeTo: [String], source: String,
                       receivedAt: Date, on db: Database, threadPool: NIOThreadPool) async throws -> Accepted {
        let blobs = self.blobs
        let stored = try await threadPool.runIfActive { try blobs.put(raw, kind: "mail", suffix: ".eml") }
        if let existing = try await InboundMailModel.query(on: db).filter(\.$contentHash == stored.sha256).first() {
            return Accepted(id: try existing.requireID(), duplicate: true)
        }
        let headerEnd = Self.headerBlockEnd(raw)
        let headers = MailReader.read(Array(raw[0..<headerEnd]) + [0x0D, 0x0A, 0x0D, 0x0A])
        let row = InboundMailModel()
        row.messageID = headers.messageID
        row.contentHash = stored.sha256
        row.rawPath = stored.path
        row.size = raw.count
        row.envelopeFrom = envelopeFrom
        row.envelopeTo = envelopeTo.joined(separator: ",")
        row.receivedAt = receivedAt
        row.source = source
        row.status = InboundMailModel.Status.queued.rawValue
        row.fromAddress = headers.from
        row.subject = headers.subject
        do {
            // In a transaction for its watchdog: a database that vanishes mid-insert must not
            // leave this SMTP session waiting forever (the client retries; the blob is safe).
            try await db.hakenTransaction(timeout: .seconds(20)) { tx in try await row.create(on: tx) }
        } catch {
            // Two deliveries of the same message raced; the other one stored it.
            if let databaseError = error as? any DatabaseError, databaseError.isConstraintFailure,
               let existing = try await InboundMailModel.query(on: db).filter(\.$contentHash == stored.sha256).first() {
                return Accepted(id: try existing.requireID(), duplicate: true)
            }
            throw error
        }
        signal.notify()
        return Accepted(id: try row.requireID(), duplicate: false)
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

/// Wakes the processing job when a message arrives. A flag checked every few milliseconds:
/// simpler to get right than continuations, and the job only waits when it has no work.
public final class MailSignal: Sendable {
    private let pending = NIOLockedValueBox(false)

    public init() {}

    public func notify() { pending.withLockedValue { $0 = true } }

    /// Returns when notified (or already notified since the last wait), or after `timeout`.
    public func wait(timeout: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline && !Task.isCancelled {
            let notified = pending.withLockedValue { value -> Bool in
                defer { value = false }
                return value
            }
            if notified { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// The application's long-lived parts, set up once by `configure`.
public struct HakenServices: Sendable {
    public var configuration: AppConfiguration
    public var intake: MailIntake
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = HakenServices }

    public var haken: HakenServices {
        get {
            guard let services = storage[ServicesKey.self] else { fatalError("configure(_:_:) has not run") }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}
