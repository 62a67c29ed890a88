import Fluent
import Foundation
import HakenCore
import HakenMail
import HakenStore
import SQLKit
import Vapor

/// Processes stored mail (DAY-1…DAY-7, DEC-2…DEC-9): reads it, finds the sender and the
/// dispatch, records the evidence, writes the audit log and queues the receipt, all in one
/// transaction with the mail's status, so a crash before the commit leaves the mail queued
/// and it is processed again, once.
public struct MailProcessor: Sendable {
    let settings: MailSettings
    let blobs: BlobStore
    let clock: HakenClock

    /// Mails per transaction. One commit (one fsync) per batch instead of per mail is most of
    /// the processing throughput; a small batch keeps each mail's wait for its commit short.
    let batchSize: Int

    public init(settings: MailSettings, blobs: BlobStore, clock: HakenClock, batchSize: Int = 32) {
        self.settings = settings
        self.blobs = blobs
        self.clock = clock
        self.batchSize = max(1, batchSize)
    }

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
            let read = await readAll(batch)
            do {
                try await record(zip(batch, read).compactMap { row, mail in (try? mail.get()).map { (row, $0) } }, on: db)
                for (row, mail) in zip(batch, read) {
                    if case .failure(let error) = mail { try await handle(error, of: row, on: db, logger: logger) }
                }
            } catch {
                if DatabaseErrors.isTransient(error) { throw error }
                // One mail broke the batch: each on its own now (as already read), so only that
                // one waits for a person.
                for (row, mail) in zip(batch, read) where try await row.isQueued(on: db) {
                    do {
                        try await record([(row, mail.get())], on: db)
                    } catch {
                        try await handle(error, of: row, on: db, logger: logger)
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
    private func handle(_ error: any Error, of row: QueuedMail, on db: Database, logger: Logger) async throws {
        if DatabaseErrors.isTransient(error) { throw error }
        logger.error("mail processing failed", metadata: ["mail": "\(row.id.uuidString)", "error": "\(error)"])
        try await markForPerson(row, reason: "処理中にエラーが発生しました: \(error)", on: db)
    }

    struct ReadMail: Sendable {
        var message: MailMessage
        var imageFiles: [String]
    }

    /// Reads a batch's messages in parallel (no database involved): raw bytes from the blob
    /// store, the whole MIME tree, pictures streamed into the blob store.
    func readAll(_ rows: [QueuedMail]) async -> [Result<ReadMail, any Error>] {
        await rows.concurrentMap { row in Result { try read(row) } }
    }

    /// Matches and records mails in one transaction: what each is matched against is what
    /// it is recorded against, a later mail sees what an earlier one recorded, and a crash
    /// before the commit leaves them all queued.
    func record(_ mails: [(row: QueuedMail, mail: ReadMail)], on db: Database) async throws {
        try await db.hakenTransaction { tx in
            let batch = try await MailBatch.prepare(mails.map { ($0.row, $0.mail.message) }, on: tx)
            for (row, mail) in mails {
                let decision = try await decide(mail.message, row: row, imageFiles: mail.imageFiles, batch: batch, on: tx)
                try await apply(decision, message: mail.message, row: row, batch: batch, on: tx)
            }
            try await batch.flush()
        }
    }

    func read(_ row: QueuedMail) throws -> ReadMail {
        let raw = try row.raw.map { [UInt8]($0) } ?? blobs.read(row.rawPath)
        // Pictures are decoded straight into the blob store as they stream out of the
        // reader; other attachments are only hashed.
        var writers: [Int: BlobStore.Writer] = [:]
        var writeError: (any Error)?
        let blobs = self.blobs
        let message = MailReader.read(raw) { index, type, chunk in
            guard type.hasPrefix("image/"), writeError == nil else { return }
            if writers[index] == nil {
                let suffix = type == "image/jpeg" ? ".jpg" : "." + (type.split(separator: "/").last.map(String.init) ?? "bin")
                do { writers[index] = try blobs.writer(kind: "files", suffix: suffix) } catch { writeError = error }
            }
            writers[index]?.append(chunk)
        }
        if let writeError { throw writeError }
        var imageFiles: [String] = []
        for index in writers.keys.sorted() { imageFiles.append(try writers[index]!.finish().path) }
        return ReadMail(message: message, imageFiles: imageFiles)
    }

    // MARK: - Deciding

    struct EvidenceChange {
        var dispatchID: UUID
        var kind: EvidenceKind
        var status: EvidenceStatus
        var note: String?
        var filePath: String?
    }

    struct Decision {
        var status: InboundMailModel.Status
        var reason: String
        var dispatchID: UUID?
        var evidence: [EvidenceChange] = []
        var consent: (businessID: UUID, year: FiscalYear)?
        var receipt: (subject: String, body: String)?
    }

    func decide(_ message: MailMessage, row: QueuedMail, imageFiles: [String], batch: MailBatch, on db: Database) async throws -> Decision {
        if message.autoSubmitted {
            return Decision(status: .machine, reason: "自動送信メール（RFC 3834）のため処理しません。")
        }
        guard let sender = row.sender(of: message) else {
            return Decision(status: .unmatched, reason: "差出人アドレスを読み取れません。")
        }
        if settings.isSecretariat(sender) {
            return Decision(status: .unmatched, reason: "事務局自身のアドレスからのメールです（応答しません）。")
        }
        let received = row.receivedInTokyo
        let authProblems = authenticationFailures(message.headers)

        let business = try await batch.business(email: sender)
        let expert = business == nil ? try await ExpertModel.query(on: db).filter(\.$emailKey == sender).first() : nil
        let institution = business == nil && expert == nil ? try await InstitutionModel.query(on: db).filter(\.$emailKey == sender).first() : nil

        // AFT-1: a PDF called 同意書 from a business or its institution is a photo-consent candidate.
        var consentBusiness: MailBatch.Business?
        if isConsent(message) {
            if let business {
                consentBusiness = business
            } else if let institution {
                consentBusiness = try await businessNamed(in: message, servedBy: institution, on: db)
            }
        }
        var decision: Decision
        if let business {
            decision = try await decideReport(message, business: business, viaUnregisteredMobile: false, authProblems: authProblems,
                                              received: received, imageFiles: imageFiles, batch: batch)
        } else if expert != nil {
            decision = Decision(status: .refused, reason: "専門家のアドレスからの報告は受け付けられません（DAY-3、DEC-6）。",
                                receipt: ReceiptText.refused(role: .expert))
        } else if institution != nil {
            decision = consentBusiness == nil
                ? Decision(status: .refused, reason: isConsent(message) ? "同意書の事業者を件名・ファイル名から特定できません。" : "支援機関のアドレスからの報告は受け付けられません（DAY-3、DEC-6）。",
                           receipt: isConsent(message) ? nil : ReceiptText.refused(role: .institution))
                : Decision(status: .review, reason: "支援機関から写真提出の同意書を受信しました（AFT-1）。")
        } else if settings.isMobileDomain(sender), let report = message.report,
                  let found = try await businessByReport(report, received: received, on: db) {
            // DEC-7: an unknown mobile address, accepted pending review.
            decision = try await decideReport(message, business: found, viaUnregisteredMobile: true, authProblems: authProblems,
                                              received: received, imageFiles: imageFiles, batch: batch)
        } else {
            decision = Decision(status: .unmatched, reason: "登録されていないアドレス（\(sender)）からのメールです。",
                                receipt: ReceiptText.problem("このアドレスは事業者の登録メールアドレスではありません。ミラサポに登録したメールアドレスから送信してください。", window: message.report != nil))
        }
        if let consentBusiness {
            let year = FiscalYear(containing: received.date)
            decision.consent = (consentBusiness.id, year)
            if decision.status == .unmatched || decision.status == .refused || (message.report == nil && business != nil) {
                decision.status = .review
                decision.reason = "写真提出の同意書（\(year.label)）の候補として受信しました（AFT-1）。"
                decision.receipt = ReceiptText.consent(fiscalYear: year)
            }
        }
        return decision
    }

    /// A report from a business (its registered address, or DEC-7's unknown mobile address).
    func decideReport(_ message: MailMessage, business: MailBatch.Business, viaUnregisteredMobile: Bool, authProblems: [String],
                      received: LocalDateTime, imageFiles: [String], batch: MailBatch) async throws -> Decision {
        guard let report = message.report else {
            let code = message.problems.first { $0.hasPrefix("report-") || $0 == "not-a-report" || $0 == "missing-subject" } ?? "not-a-report"
            let reason: String
            switch code {
            case "report-invalid-date": reason = "件名の日付が存在しない日付です。"
            case "report-invalid-time": reason = "件名の時刻が正しくありません（24時間制で 10:30 のように書いてください）。"
            case "report-missing-time": reason = "件名に時刻がありません。"
            case "missing-subject": reason = "件名がありません。"
            default: reason = "件名が報告の形式（\(ReceiptText.timeFormat)）ではありません。"
            }
            return Decision(status: .unmatched, reason: reason, receipt: ReceiptText.problem(reason, window: true))
        }
        guard let date = ReportTiming.inferDate(month: report.month, day: report.day, receivedOn: received.date) else {
            let reason = "件名の日付が存在しない日付です。"
            return Decision(status: .unmatched, reason: reason, receipt: ReceiptText.problem(reason, window: true))
        }
        let candidates = try await batch.dispatches(businessID: business.id, date: date)
        let matching = candidates.filter { NameMatcher.compare(report.expert, $0.expertName).matches }
        guard let dispatch = matching.min(by: { distance($0, to: report.time) < distance($1, to: report.time) }) else {
            let reason = "\(JapaneseDateFormat.monthDayWeekday(date)) に \(report.expert) さんの派遣予定が見つかりません。"
            return Decision(status: .unmatched, reason: reason,
                            receipt: ReceiptText.problem(reason + "事業者名・専門家名・日付をご確認ください。", window: true))
        }
        let dispatchID = dispatch.id
        let schedule = dispatch.schedule

        var notes: [String] = []
        var needsReview = false
        if viaUnregisteredMobile {
            notes.append("登録されていない携帯アドレス（\(message.from ?? "")）から受信しました。事務局で確認します（DEC-7）。")
            needsReview = true
        }
        if !authProblems.isEmpty {
            notes.append("送信元の認証に失敗しています（\(authProblems.joined(separator: ", "))）。")
            needsReview = true
        }
        switch NameMatcher.compare(report.business, business.name) {
        case .exact: break
        case .close: notes.append("件名の事業者名「\(report.business)」は登録名「\(business.name)」と表記が異なります。")
        case .different:
            notes.append("件名の事業者名「\(report.business)」が登録名「\(business.name)」と一致しません。")
            needsReview = true
        }
        if NameMatcher.compare(report.expert, dispatch.expertName) == .close {
            notes.append("件名の専門家名「\(report.expert)」は登録名「\(dispatch.expertName)」と表記が異なります。")
        }

        var decision = Decision(status: needsReview ? .review : .matched, reason: "", dispatchID: dispatchID)
        let items = try await batch.checklist(dispatchID)
        let certified = items[.certification].map { ["accepted", "late"].contains($0.status) } ?? false
        func photoStatus() -> EvidenceStatus {
            if certified { return .late }   // AFT-3: after the certification
            return needsReview ? .review : .accepted
        }
        let hasImages = !imageFiles.isEmpty

        switch report.kind {
        case .time:
            let existingStart = items[.startReport]
            let startRecorded = existingStart.map { $0.status != EvidenceStatus.missing.rawValue } ?? false
            let role = ReportTiming.role(written: report.time, scheduledStart: schedule.start, scheduledEnd: schedule.end,
                                         startRecorded: startRecorded)
            let kind: EvidenceKind = role == .start ? .startReport : .endReport
            let written = LocalDateTime(date: date, time: report.time)
            var status: EvidenceStatus
            switch ReportTiming.punctuality(written: written, received: received) {
            case .onTime: status = .accepted
            case .outsideWindow(let minutes):
                status = .late
                notes.append("受信時刻が報告時刻から\(abs(minutes))分\(minutes > 0 ? "遅れて" : "早く")います（±20分以内が必要です）。")
            }
            if let difference = ReportTiming.scheduleDiscrepancy(written: report.time, scheduled: role == .start ? schedule.start : schedule.end) {
                notes.append("報告時刻 \(report.time.hhmm) が予定（\((role == .start ? schedule.start : schedule.end).hhmm)）と\(abs(difference))分異なります（DEC-2）。")
            }
            if needsReview { status = .review }
            let existing = items[kind]
            if let existing, existing.status == EvidenceStatus.accepted.rawValue, status != .accepted {
                decision.reason = "\(ReceiptText.roleName(role))報告は既に受け付け済みです（重複のため記録を変更しません）。"
            } else {
                decision.evidence.append(EvidenceChange(dispatchID: dispatchID, kind: kind, status: status,
                                                        note: notes.isEmpty ? nil : notes.joined(separator: " "), filePath: nil))
                decision.reason = "\(ReceiptText.roleName(role))報告（\(status.japaneseName)）"
            }
            if hasImages {
                // DAY-6: the photo may ride on the end report.
                decision.evidence.append(EvidenceChange(dispatchID: dispatchID, kind: .photo, status: photoStatus(),
                                                        note: "時刻報告メールに添付（\(imageFiles.count)枚）", filePath: imageFiles.first))
                decision.reason += "、支援状況写真"
            }
            decision.receipt = ReceiptText.accepted(business: business.name, expert: dispatch.expertName, role: role, written: written,
                                                    received: received, status: status, notes: notes, photos: imageFiles.count)
        case .period:
            guard hasImages else {
                let reason = "支援状況写真が添付されていません。"
                return Decision(status: .unmatched, reason: reason,
                                receipt: ReceiptText.problem(reason + "写真を添付して再送してください。", window: false))
            }
            let status = photoStatus()
            decision.evidence.append(EvidenceChange(dispatchID: dispatchID, kind: .photo, status: status,
                                                    note: notes.isEmpty ? "\(imageFiles.count)枚" : notes.joined(separator: " "), filePath: imageFiles.first))
            decision.reason = "支援状況写真（\(status.japaneseName)）"
            decision.receipt = ReceiptText.photo(business: business.name, date: date, count: imageFiles.count, status: status, notes: notes)
        }
        return decision
    }

    func distance(_ dispatch: MailBatch.Dispatch, to time: TimeOfDay) -> Int {
        let schedule = dispatch.schedule
        return min(abs(schedule.start.minutesSinceMidnight - time.minutesSinceMidnight),
                   abs(schedule.end.minutesSinceMidnight - time.minutesSinceMidnight))
    }

    /// DEC-7: for an unknown mobile sender, the business named in the subject among those
    /// with a dispatch on that day.
    func businessByReport(_ report: ReportSubject, received: LocalDateTime, on db: Database) async throws -> MailBatch.Business? {
        guard let date = ReportTiming.inferDate(month: report.month, day: report.day, receivedOn: received.date) else { return nil }
        let dispatches = try await DispatchModel.query(on: db).filter(\.$date == date.iso).with(\.$business).all()
        let named = dispatches.map(\.business).filter { NameMatcher.compare(report.business, $0.name).matches }
        return try unique(named)
    }

    func isConsent(_ message: MailMessage) -> Bool {
        let pdfs = message.attachments.filter { $0.contentType == "application/pdf" || ($0.filename?.lowercased().hasSuffix(".pdf") ?? false) }
        guard !pdfs.isEmpty else { return false }
        return (message.subject ?? "").contains("同意書") || pdfs.contains { $0.filename?.contains("同意書") ?? false }
    }

    /// The business an institution's consent mail is for: the one of its businesses whose
    /// name appears in the subject or a file name.
    func businessNamed(in message: MailMessage, servedBy institution: InstitutionModel, on db: Database) async throws -> MailBatch.Business? {
        let dispatches = try await DispatchModel.query(on: db).filter(\.$institution.$id == institution.requireID()).with(\.$business).all()
        let text = NameMatcher.normalize(([message.subject ?? ""] + message.attachments.compactMap(\.filename)).joined(separator: " "))
        let named = dispatches.map(\.business).filter { text.contains(NameMatcher.normalize($0.name)) }
        return try unique(named)
    }

    /// The one business among `named` (several rows of one business count once), or nil.
    private func unique(_ named: [BusinessModel]) throws -> MailBatch.Business? {
        let distinct = Dictionary(named.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard distinct.count == 1, let business = distinct.values.first else { return nil }
        return MailBatch.Business(id: try business.requireID(), name: business.name)
    }

    /// SPF/DKIM/DMARC results that failed, from the trusted authserv-id's Authentication-Results.
    func authenticationFailures(_ headers: HeaderBlock) -> [String] {
        guard let trusted = settings.trustedAuthservID?.lowercased() else { return [] }
        var failures: [String] = []
        for field in headers.all("authentication-results") {
            let text = String(decoding: field.value, as: UTF8.self)
            let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let id = parts.first?.split(separator: " ").first?.lowercased(), id == trusted else { continue }
            for part in parts.dropFirst() {
                let words = part.split(separator: " ")
                guard let result = words.first, let equals = result.firstIndex(of: "=") else { continue }
                let method = result[..<equals].lowercased()
                let value = result[result.index(after: equals)...].lowercased()
                if ["spf", "dkim", "dmarc"].contains(method) && ["fail", "softfail", "permerror"].contains(value) {
                    failures.append("\(method)=\(value)")
                }
            }
        }
        return failures
    }

    // MARK: - Applying

    func apply(_ decision: Decision, message: MailMessage, row: QueuedMail, batch: MailBatch, on db: Database) async throws {
        let mailID = row.id
        let now = clock.now()
        for change in decision.evidence {
            try await batch.record(change.kind, status: change.status, receivedAt: row.receivedAt, note: change.note,
                                   dispatchID: change.dispatchID, sourceMailID: mailID, filePath: change.filePath, now: now)
        }
        if let consent = decision.consent {
            let existing = try await PhotoConsentModel.query(on: db)
                .filter(\.$business.$id == consent.businessID).filter(\.$fiscalYear == consent.year.startYear).first()
            if existing == nil || existing?.status != EvidenceStatus.accepted.rawValue {
                let model = existing ?? PhotoConsentModel(businessID: consent.businessID, fiscalYear: consent.year, status: .review,
                                                          receivedAt: row.receivedAt, note: nil)
                model.status = EvidenceStatus.review.rawValue
                model.receivedAt = row.receivedAt
                model.note = "メールで受信（\(row.fromAddress ?? "")）"
                try await model.save(on: db)
            }
        }
        batch.finish(row, status: decision.status, reason: decision.reason, dispatchID: decision.dispatchID,
                               evidenceKind: decision.evidence.first?.kind.rawValue,
                               problems: message.problems.isEmpty ? nil : message.problems.joined(separator: ","), now: now)

        var details = ["status": decision.status.rawValue, "reason": decision.reason, "from": row.fromAddress ?? "",
                       "subject": row.subject ?? ""]
        if let dispatchID = decision.dispatchID { details["dispatch"] = dispatchID.uuidString.lowercased() }
        for change in decision.evidence { details["evidence.\(change.kind.rawValue)"] = change.status.rawValue }
        if let consent = decision.consent { details["photoConsent"] = consent.year.label }
        batch.audit(.init(actor: "mail", action: "mail.process", subject: "mail/\(mailID.uuidString.lowercased())",
                          details: details), now: now)

        if let receipt = decision.receipt, let recipient = row.fromAddress ?? row.envelopeFrom {
            try await batch.enqueueReceipt(to: recipient, subject: receipt.subject, body: receipt.body + ReceiptText.footer(settings),
                                           inReplyTo: message.messageID, mailID: mailID, settings: settings, now: now)
        }
    }

    func markForPerson(_ row: QueuedMail, reason: String, on db: Database) async throws {
        try await db.sql().update(InboundMailModel.schema)
            .set("status", to: SQLBind(InboundMailModel.Status.unmatched.rawValue)).set("reason", to: SQLBind(reason))
            .set("processed_at", to: SQLBind(clock.now()))
            .where("id", .equal, SQLBind(row.id))
            .run()
        try await AuditLog.append(.init(actor: "mail", action: "mail.error", subject: "mail/\(row.id.uuidString.lowercased())",
                                        details: ["reason": reason]), on: db)
    }
}
