import Fluent
import Foundation
import HakenCore
import HakenImage
import HakenMail
import HakenStore
import Vapor

/// Processes stored mail: load → decide → write. What each mail means is decided by
/// `MailRules.decide` (HakenCore, pure); this shell reads the mail, loads what the decision
/// needs (`MailFactsLoader`), and writes the outcome — evidence, audit entries, the mail's
/// status and its receipt — in one transaction per batch, so a crash before the commit leaves
/// the mails queued and they are processed again, once.
public struct MailProcessor: Sendable {
    let settings: MailSettings
    let blobs: BlobStore
    let clock: HakenClock
    let auditKey: AuditKey
    let senderCheck: SenderCheck?
    /// #12, DEC-2: `HAKEN_TIME_GAP_MINUTES`.
    let timeGapMinutes: Int
    /// #12: `HAKEN_PHOTO_TIME_MINUTES`, `HAKEN_PHOTO_HASH_DISTANCE`.
    let photoChecks: PhotoFingerprints.Settings

    /// Mails per transaction: one commit (one fsync) per batch instead of per mail is most of
    /// the processing throughput; a small batch keeps each mail's wait for its commit short.
    let batchSize: Int

    init(settings: MailSettings, blobs: BlobStore, clock: HakenClock, auditKey: AuditKey, senderCheck: SenderCheck?,
         timeGapMinutes: Int = CrossCheck.defaultToleranceMinutes, photoChecks: PhotoFingerprints.Settings = .init(), batchSize: Int = 32) {
        self.timeGapMinutes = timeGapMinutes
        self.photoChecks = photoChecks
        self.settings = settings
        self.blobs = blobs
        self.clock = clock
        self.auditKey = auditKey
        self.senderCheck = senderCheck
        self.batchSize = max(1, batchSize)
    }

    /// The processor of a configured application.
    public init(services: HakenServices, clock: HakenClock, batchSize: Int = 32) {
        self.init(settings: services.configuration.mail, blobs: services.intake.blobs, clock: clock, auditKey: services.auditKey,
                  senderCheck: services.senderCheck, timeGapMinutes: services.configuration.timeGapMinutes,
                  photoChecks: services.configuration.photoChecks, batchSize: batchSize)
    }

    /// What a person reads when a mail could not be processed (the error goes to the log).
    static let errorReason = "処理中にエラーが発生しました。事務局で確認します。"

    /// Processes queued mail, oldest first, until none is left. Returns how many.
    /// `observe` hears, for every mail, how long it took from the start of its batch to
    /// the commit that recorded it (the processing benchmark's latencies).
    @discardableResult
    public func processQueued(on db: Database, logger: Logger, observe: (@Sendable (Duration) -> Void)? = nil) async throws -> Int {
        var count = 0
        while true {
            let batch = try await db.hakenTransaction { db in try await QueuedMail.next(batchSize, on: db) }
            if batch.isEmpty { return count }
            let started = ContinuousClock.now
            let blobs = self.blobs
            var read = await batch.concurrentMap { row in Result { try MailReading.read(row, blobs: blobs) } }
            if let senderCheck {
                let readable = zip(batch, read).compactMap { row, mail in (try? mail.get()).map { (row: row, mail: $0) } }
                let found = await senderCheck.authenticate(readable, blobs: blobs)
                read = zip(batch, read).map { row, mail in
                    mail.map { reading in
                        var checked = reading
                        checked.authentication = found[row.id]
                        return checked
                    }
                }
            }
            do {
                try await record(zip(batch, read).compactMap { row, mail in (try? mail.get()).map { (row, $0) } }, on: db)
                for (row, mail) in zip(batch, read) {
                    if case .failure(let error) = mail { try await setAside(row, error: error, on: db, logger: logger) }
                }
            } catch {
                if DatabaseErrors.isTransient(error) { throw error }
                // One mail broke the batch: each on its own now (as already read), so only that
                // one waits for a person.
                for (row, mail) in zip(batch, read) where try await row.isQueued(on: db) {
                    do {
                        try await record([(row, mail.get())], on: db)
                    } catch {
                        try await setAside(row, error: error, on: db, logger: logger)
                    }
                }
            }
            let elapsed = ContinuousClock.now - started
            for _ in batch { observe?(elapsed) }
            count += batch.count
        }
    }

    /// A mail that could not be processed goes to a person, unless the database went away:
    /// that is not the mail's fault, and it stays queued.
    private func setAside(_ row: QueuedMail, error: any Error, on db: Database, logger: Logger) async throws {
        if DatabaseErrors.isTransient(error) { throw error }
        logger.error("mail processing failed", metadata: ["mail": "\(row.id.uuidString.lowercased())", "error": "\(error)"])
        try await row.setAsideForPerson(reason: Self.errorReason, on: db, key: auditKey, now: clock.now())
    }

    /// Decides and records mails in one transaction: what each is decided on is what it is
    /// recorded against, a later mail sees what an earlier one recorded, and a crash before
    /// the commit leaves them all queued.
    func record(_ mails: [(row: QueuedMail, mail: MailReading)], on db: Database) async throws {
        guard !mails.isEmpty else { return }
        try await db.hakenTransaction { tx in
            let loader = try await MailFactsLoader.start(mails, settings: settings, key: auditKey, on: tx)
            var timeReported: [UUID] = []
            var findings: [Discrepancies.Entry] = []
            var photos: [PhotoFingerprints.Entry] = []
            for (row, mail) in mails {
                let loaded = try await loader.facts(for: row, mail: mail)
                let decision = MailRules.decide(loaded.facts)
                try await write(decision, loaded: loaded, row: row, mail: mail, batch: loader.batch)
                if decision.reported != nil, let id = decision.dispatchID { timeReported.append(id) }
                for change in decision.evidence where change.kind == .photo {
                    if let file = change.file, let facts = mail.photos[file] {
                        photos.append(.init(kind: .support, dispatchID: change.dispatchID, mailID: row.id, file: file, facts: facts))
                    }
                }
                if let id = decision.dispatchID {
                    // A finding of a mail is that mail's: recorded once per mail.
                    findings += decision.findings.map { finding in
                        var own = finding
                        own.key += ":\(row.id.uuidString.lowercased())"
                        return Discrepancies.Entry(dispatchID: id, finding: own, mailID: row.id)
                    }
                }
            }
            try await loader.batch.flush()
            // #12: when each new photo was taken, and whether it was used before.
            findings += try await PhotoFingerprints.record(photos, settings: photoChecks, on: tx, now: clock.now())
            // #12, DEC-2: what the new time reports say against the dispatch's other reports.
            try await Discrepancies.review(timeReported, toleranceMinutes: timeGapMinutes, extra: findings, actor: "mail",
                                           on: tx, key: auditKey, now: clock.now())
        }
    }

    /// Writes one decision: its evidence, consent, outcome, audit entry and receipt.
    func write(_ decision: MailDecision, loaded: MailFactsLoader.Loaded, row: QueuedMail, mail: MailReading, batch: MailBatch) async throws {
        let now = clock.now()
        let source = EvidenceWriter.Source(actor: "mail", receivedAt: loaded.receivedAt, mailID: row.id, sha256: row.contentHash,
                                           storedAt: row.receivedAt)
        for change in decision.evidence {
            try await batch.evidence.record(change, source: source, audited: false, now: now)   // recorded in mail.process below
        }
        if let consent = decision.consent {
            try await batch.recordConsent(consent, receivedAt: loaded.receivedAt, note: "メールで受信（\(loaded.facts.senderAddress ?? "")）",
                                          mailID: row.id, now: now)
        }
        batch.finish(row.id, decision: decision, problems: mail.message.problems, mtaReceivedAt: loaded.mtaReceivedAt,
                     authentication: mail.authentication, from: row.fromAddress, subject: row.subject, storedAt: row.receivedAt, now: now)

        // NOTE-3: what was received, when, from whom, and what became of it — including each
        // evidence change, with the received and stored times and the raw message's digest.
        // A field that would only repeat another is left out: `storedAt` when our MTA's time is
        // not used (it equals `receivedAt`), `envelopeFrom` when it is the From address.
        var details = ["status": decision.status.rawValue, "reason": decision.reason, "from": loaded.facts.senderAddress ?? "",
                       "subject": row.subject ?? "", "sha256": row.contentHash, "receivedAt": AuditLog.timestamp(loaded.receivedAt)]
        if loaded.mtaReceivedAt != nil { details["storedAt"] = AuditLog.timestamp(row.receivedAt) }
        if let envelope = row.envelopeFrom, envelope.lowercased() != loaded.facts.senderAddress { details["envelopeFrom"] = envelope }
        if let dispatchID = decision.dispatchID { details["dispatch"] = dispatchID.uuidString.lowercased() }
        for change in decision.evidence { details["evidence.\(change.kind.rawValue)"] = change.status.rawValue }
        if let trust = decision.evidence.first?.trust { details["trust"] = trust.rawValue }
        if let consent = decision.consent { details["photoConsent"] = consent.fiscalYear.label }
        // #12: what the photo's bytes say, in the chain with the rest (the hash that later reuse checks compare).
        for change in decision.evidence where change.kind == .photo {
            guard let file = change.file, let facts = mail.photos[file] else { continue }
            details["photo.sha256"] = facts.sha256
            if let hash = facts.perceptualHash { details["photo.phash"] = PerceptualHash.hex(hash) }
            details["photo.exif"] = facts.takenAt.map { taken in
                taken.isoMinute + (facts.offsetMinutes.map { " offset \($0)min" } ?? "")
            } ?? (facts.hasEXIF ? "no time" : "none")
        }
        if let authentication = mail.authentication { details["senderAuth"] = "\(authentication.verdict.rawValue): \(authentication.summary)" }
        if !decision.flags.isEmpty { details["flags"] = decision.flags.map(\.rawValue).joined(separator: ",") }
        if let receipt = decision.receipt, receipt.to != loaded.facts.senderAddress { details["receiptTo"] = receipt.to }
        batch.evidence.audit(.init(actor: "mail", action: "mail.process", subject: AuditLog.subject("mail", row.id), details: details), now: now)

        if let receipt = decision.receipt {
            try await batch.enqueueReceipt(receipt, body: receipt.message.body + ReceiptText.footer(secretariatAddress: settings.senderAddress),
                                           inReplyTo: mail.message.messageID, mailID: row.id, sender: settings.outboxSender,
                                           limits: settings.receiptLimits, now: now)
        }
    }
}
