import Fluent
import Foundation
import HakenCore
import HakenStore
import Vapor

/// DAY-5, CON-2: the secretariat's check of one support photo, behind the photo screen and
/// the JSON API. A rejected photo asks the business for a declaration (DAY-7).
enum PhotoDeskActions {
    struct CheckInput: Content {
        /// `accept` or `reject`.
        var decision: String?
        /// `PhotoCheck.Point` names confirmed by the person.
        var confirmed: [String]?
        var reason: String?
    }

    static func detail(_ req: Request, id: String?) async throws -> PhotoReview.Detail {
        guard let id = id.flatMap(UUID.init(uuidString:)), let detail = try await PhotoReview.detail(id, on: req.db) else {
            throw APIError.notFound("支援状況写真")
        }
        return detail
    }

    static func check(_ input: CheckInput, detail: PhotoReview.Detail, principal: Principal, req: Request) async throws -> PhotoCheck.Outcome {
        guard let verdict = input.decision.flatMap(MailRuling.Verdict.init(rawValue:)) else {
            throw APIError.field("decision", code: "required", message: "受理するか不受理とするかを選んでください。")
        }
        guard detail.status != .missing else {
            throw APIError(.conflict, code: "no_photo", reason: "支援状況写真はまだ届いていません。")
        }
        guard detail.checkedAt == nil else {
            throw APIError(.conflict, code: "already_decided", reason: "この写真は既に確認済みです。")
        }
        let confirmed = Set((input.confirmed ?? []).compactMap(PhotoCheck.Point.init(rawValue:)))
        let record = try await DispatchRecords.records(for: [detail.dispatch], on: req.db)[detail.dispatch.id]
        let received = detail.receivedAt.map { TokyoClock.local(secondsSince1970: $0.timeIntervalSince1970) }
        let afterCertification = record.map { PhotoCheck.arrivedAfterCertification(received, checklist: $0.facts.evidence) } ?? false
        let outcome: PhotoCheck.Outcome
        do {
            outcome = try PhotoCheck.decide(verdict, confirmed: confirmed, reason: input.reason, current: detail.status,
                                            arrivedAfterCertification: afterCertification)
        } catch {
            switch error {
            case .pointsUnconfirmed: throw APIError.field("confirmed", code: "unconfirmed", message: error.message)
            case .reasonRequired: throw APIError.field("reason", code: "required", message: error.message)
            case .reasonTooLong: throw APIError.field("reason", code: "too_long", message: error.message)
            case .nothingToCheck: throw APIError(.conflict, code: "nothing_to_check", reason: error.message)
            }
        }
        var notice: Outbox.Row?
        if outcome.status == .rejected, let facts = record?.facts,
           let address = try await DeskDecisions.businessAddress(detail.dispatch.businessID, on: req.db) {
            let message = DeskNoticeText.rejected(business: detail.dispatch.businessName ?? "", expert: detail.dispatch.expertName ?? "",
                                                  schedule: try detail.dispatch.schedule(), facts: facts, kinds: [.photo],
                                                  reason: (input.reason ?? "").trimmingWhitespace, today: req.application.hakenClock.today)
            let stamp = Int(detail.receivedAt?.timeIntervalSince1970 ?? 0)
            notice = WebMail.row(.deskNotice, to: address, message, dedupe: "desk:photo:\(detail.dispatch.id.uuidString.lowercased()):\(stamp)", req: req)
        }
        do {
            try await PhotoReview.record(outcome, detail: detail, confirmed: PhotoCheck.Point.allCases.filter(confirmed.contains), notice: notice,
                                         by: principal.actor, on: req.db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        } catch DeskDecisions.Problem.alreadyDecided {
            throw APIError(.conflict, code: "already_decided", reason: "この写真は確認中に差し替わったか、既に確認済みです。もう一度開いてください。")
        }
        return outcome
    }
}
