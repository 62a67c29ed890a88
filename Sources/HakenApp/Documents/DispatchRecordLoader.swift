import Crypto
import Foundation
import HakenCore
import HakenDocuments
import HakenStore
import Vapor

/// Loads a dispatch's whole record for `DispatchRecordForm`: the mails with the SHA-256 of each
/// as stored (so the paper can be checked against the raw `.eml`), the decisions, the audit trail.
enum DispatchRecordLoader {
    /// An auditor's copy; a trail longer than this is cut, and the form says how many it shows.
    static let entryLimit = 2_000

    static func record(_ context: DispatchFormContext, req: Request) async throws -> DispatchRecordForm.Record {
        let id = context.dispatch.id
        var mails: [DispatchRecordForm.Mail] = []
        for mail in try await MailInbox.forDispatch(id, on: req.db) {
            let raw = try await MailInbox.raw(mail.id, blobs: MailDeskActions.blobs(req), on: req.db)
            mails.append(.init(received: local(mail.receivedAt), from: mail.from ?? "（読み取れません）", subject: mail.subject ?? "（件名なし）",
                               status: mail.status.japaneseName, sha256: raw.map { SHA256.hash(data: $0).hexString } ?? "（本文なし）"))
        }
        var decisions: [String] = []
        for stored in try await Declarations.all(for: id, on: req.db) {
            let record = stored.record
            decisions.append("\(FormDates.moment(local(stored.recordedAt))) 申告書（\(record.variant.japaneseName)）を\(record.accepted ? "受理" : "不受理")"
                             + "（対象: \(record.covers.map(\.japaneseName).joined(separator: "・"))）\(record.note.map { ": \($0)" } ?? "")　\(stored.recordedBy)")
        }
        for item in try await Discrepancies.forDispatch(id, on: req.db) {
            var line = "\(FormDates.moment(local(item.foundAt))) 食い違い（\(item.kind.japaneseName)）: \(item.reason)"
            if let resolved = item.resolvedAt {
                line += "　→ \(FormDates.moment(local(resolved))) 確認済み（\(item.resolvedBy ?? "")）: \(item.resolution ?? "")"
            }
            decisions.append(line)
        }
        if context.dispatch.outsideConfirmed { decisions.append("事業の対象外として確定") }
        let trail = try await AuditListing.trail(try await AuditListing.subjects(ofDispatch: id, on: req.db), limit: entryLimit, on: req.db)
        let deadline = CivilDate(iso: context.dispatch.deadline) ?? DispatchDeadline.standard(for: context.form.schedule.date)
        let state = DispatchRules.assess(context.facts, today: req.application.hakenClock.today).state
        return DispatchRecordForm.Record(
            dispatch: context.form, state: state.japaneseName, deadline: deadline,
            cancelReason: context.dispatch.cancelled ? (context.dispatch.cancelReason ?? "（理由の記録なし）") : nil,
            checklist: context.facts.evidence, mails: mails, decisions: decisions,
            entries: trail.map { .init(seq: $0.seq, at: $0.at, actor: $0.actor, action: $0.action, details: $0.details, hash: $0.hash) })
    }

    static func local(_ date: Date) -> LocalDateTime { TokyoClock.local(secondsSince1970: date.timeIntervalSince1970) }
}
