import Fluent
import Foundation
import HakenCore
import HakenMail
import HakenStore
import Vapor

/// The secretariat's decisions on received mail (#11), the one implementation behind the
/// desk's pages and the JSON API: load (`DeskDecisions.context`) → decide (`MailRuling`) →
/// write (`DeskDecisions.apply`), and the business told what to do next.
enum MailDeskActions {
    struct DecisionInput: Content {
        /// `accept`, `reject`, `assign` or `dismiss`.
        var decision: String?
        var reason: String?
        /// For `assign`: the dispatch and the item (`startReport`, `endReport`, `photo`).
        var dispatchId: String?
        var kind: String?
    }

    static func blobs(_ req: Request) -> BlobStore {
        BlobStore(root: req.application.haken.configuration.store.blobDirectory)
    }

    static func context(_ req: Request, id: String?) async throws -> DeskDecisions.MailContext {
        guard let id = id.flatMap(UUID.init(uuidString:)), let context = try await DeskDecisions.context(id, on: req.db) else {
            throw APIError.notFound("メール")
        }
        return context
    }

    static func refusal(_ refusal: MailRuling.Refusal) -> APIError {
        switch refusal {
        case .reasonRequired: return APIError.field("reason", code: "required", message: refusal.message)
        case .reasonTooLong: return APIError.field("reason", code: "too_long", message: refusal.message)
        case .noPhotoInMail, .kindNotAssignable: return APIError.field("kind", code: "invalid_choice", message: refusal.message)
        case .dispatchCancelled: return APIError.field("dispatchId", code: "cancelled", message: refusal.message)
        case .notDecidable: return APIError(.conflict, code: "not_decidable", reason: refusal.message)
        }
    }

    static let alreadyDecided = APIError(.conflict, code: "already_decided", reason: "このメールは既に判断済みです（ほかの担当者が先に処理した可能性があります）。")

    /// Decides one mail; returns the summary recorded on it.
    @discardableResult
    static func decide(_ input: DecisionInput, context: DeskDecisions.MailContext, principal: Principal, req: Request) async throws -> String {
        guard context.mail.decidedAt == nil else { throw alreadyDecided }
        let received = TokyoClock.local(secondsSince1970: context.countsAt.timeIntervalSince1970)
        let report = context.mail.subject.flatMap { ReportSubjectReader.read($0).report }
        let outcome: MailRuling.Outcome
        var notice: Outbox.Row?
        var assigned: UUID?
        do {
            switch input.decision {
            case "accept", "reject":
                let verdict: MailRuling.Verdict = input.decision == "accept" ? .accept : .reject
                guard let dispatch = context.dispatch, let candidate = context.candidate else {
                    throw APIError(.conflict, code: "no_dispatch",
                                   reason: "このメールは派遣に結び付いていません。派遣に割り当てるか、対象外にしてください。")
                }
                outcome = try MailRuling.review(verdict, mailStatus: context.mail.status, received: received, report: report,
                                                dispatch: candidate, owned: context.owned, reason: input.reason)
                notice = try await self.notice(verdict, outcome: outcome, reason: input.reason?.trimmingWhitespace ?? "", context: context,
                                               dispatch: dispatch, candidate: candidate, req: req)
            case "assign":
                guard let id = input.dispatchId.flatMap(UUID.init(uuidString:)), let dispatch = try await DispatchListing.one(id, on: req.db) else {
                    throw APIError.field("dispatchId", code: "not_found", message: "割り当てる派遣を選んでください。")
                }
                guard let kind = input.kind.flatMap(EvidenceKind.init(rawValue:)) else {
                    throw APIError.field("kind", code: "required", message: "何の報告として割り当てるかを選んでください。")
                }
                var photo: String?
                if kind == .photo, let raw = try await MailInbox.raw(context.mail.id, blobs: blobs(req), on: req.db) {
                    photo = try ReceivedMailView.storeFirstPicture(raw, blobs: blobs(req))
                }
                let candidate = try await DeskDecisions.candidate(dispatch, on: req.db)
                outcome = try MailRuling.assign(mailStatus: context.mail.status, kind: kind, received: received, report: report, photoFile: photo,
                                                dispatch: candidate, cancelled: dispatch.cancelled, reason: input.reason)
                assigned = dispatch.id
            case "dismiss":
                outcome = try MailRuling.dismiss(mailStatus: context.mail.status, reason: input.reason)
            default:
                throw APIError.field("decision", code: "required", message: "判断（accept・reject・assign・dismiss）を選んでください。")
            }
        } catch let refusal as MailRuling.Refusal {
            throw self.refusal(refusal)
        }
        do {
            try await DeskDecisions.apply(outcome, to: context, action: input.decision ?? "", reason: input.reason?.trimmingWhitespace,
                                          assignedTo: assigned, notice: notice, by: principal.actor,
                                          on: req.db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        } catch DeskDecisions.Problem.alreadyDecided {
            throw alreadyDecided
        }
        return outcome.summary
    }

    /// What the business is told: a rejected report or photo and the declaration it now
    /// needs (DAY-4, DAY-7); a report from an unregistered address accepted (DEC-7).
    static func notice(_ verdict: MailRuling.Verdict, outcome: MailRuling.Outcome, reason: String, context: DeskDecisions.MailContext,
                       dispatch: DispatchRow, candidate: CandidateDispatch, req: Request) async throws -> Outbox.Row? {
        let kinds = outcome.evidence.map(\.kind)
        guard !kinds.isEmpty, let address = try await DeskDecisions.businessAddress(dispatch.businessID, on: req.db) else { return nil }
        let schedule = candidate.schedule
        let message: ReceiptText.Message
        switch verdict {
        case .reject:
            let facts = try await DispatchRecords.records(for: [dispatch], on: req.db)[dispatch.id]?.facts ?? DispatchFacts(date: schedule.date)
            message = DeskNoticeText.rejected(business: candidate.business.name, expert: candidate.expertName, schedule: schedule, facts: facts,
                                              kinds: kinds, reason: reason, today: req.application.hakenClock.today)
        case .accept:
            guard context.mail.flags.contains(.unknownSender) else { return nil }
            message = DeskNoticeText.accepted(business: candidate.business.name, expert: candidate.expertName, schedule: schedule, kinds: kinds)
        }
        return WebMail.row(.deskNotice, to: address, message, dedupe: "desk:\(context.mail.id.uuidString.lowercased())", req: req)
    }
}
