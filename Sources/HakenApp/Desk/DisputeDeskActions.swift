import Foundation
import HakenCore
import HakenStore
import Vapor

/// AFT-2, DEC-2: settling a disputed certification (the desk's page and the JSON API).
enum DisputeDeskActions {
    static func decide(_ decision: String?, reason: String?, dispatchID: String?, principal: Principal, req: Request) async throws -> EvidenceChangeDraft {
        guard let verdict = decision.flatMap(MailRuling.Verdict.init(rawValue:)) else {
            throw APIError.field("decision", code: "required", message: "受理するか不受理とするかを選んでください。")
        }
        guard let id = dispatchID.flatMap(UUID.init(uuidString:)), try await DispatchListing.one(id, on: req.db) != nil else {
            throw APIError.notFound("派遣")
        }
        do {
            return try await Disputes.decide(id, ruling: { current in try DisputeRuling.decide(verdict, reason: reason, current: current) },
                                             by: principal.actor, on: req.db, key: req.application.haken.auditKey,
                                             now: req.application.hakenClock.now())
        } catch let refusal as MailRuling.Refusal {
            if case .notDecidable = refusal {
                throw APIError(.conflict, code: "not_decidable", reason: "この派遣の従事証明に確認待ちの異議はありません。")
            }
            throw MailDeskActions.refusal(refusal)
        }
    }
}
