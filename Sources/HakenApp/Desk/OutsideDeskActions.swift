import Foundation
import HakenCore
import HakenStore
import Vapor

/// NOTE-2: confirming a dispatch outside the programme, or extending its deadline (the desk's
/// page and the JSON API); the business and the institution are told either way.
enum OutsideDeskActions {
    struct DecisionInput: Content {
        /// `confirm` or `extend`.
        var decision: String?
        var reason: String?
        /// For `extend`: the new final deadline (yyyy-mm-dd).
        var deadline: String?
    }

    static func decide(_ input: DecisionInput, dispatchID: String?, principal: Principal, req: Request) async throws -> OutsideProgrammeRuling.Decision {
        guard let id = dispatchID.flatMap(UUID.init(uuidString:)), let dispatch = try await DispatchListing.one(id, on: req.db),
              let record = try await DispatchRecords.records(for: [dispatch], on: req.db)[id] else {
            throw APIError.notFound("派遣")
        }
        let today = req.application.hakenClock.today
        let state = DispatchRules.assess(record.facts, today: today).state
        let decision = try OutsideProgrammeRuling.decide(input.decision, reason: input.reason, newDeadline: input.deadline, state: state, today: today)
        let schedule = try dispatch.schedule()
        let institution = try await req.db.sql().raw("SELECT email FROM institutions WHERE id = \(bind: dispatch.institutionID)").first()?
            .decode(column: "email", as: String.self)
        let business = try await DeskDecisions.businessAddress(dispatch.businessID, on: req.db)
        var notices: [Outbox.Row] = []
        for (address, copy) in [(business, false), (institution, true)] {
            guard let address else { continue }
            let message: ReceiptText.Message
            switch decision {
            case .confirm(let reason):
                message = ReminderText.outsideConfirmed(business: dispatch.businessName ?? "", expert: dispatch.expertName ?? "", schedule: schedule,
                                                        reason: reason, copyToInstitution: copy)
            case .extend(let deadline, let reason):
                message = ReminderText.deadlineExtended(business: dispatch.businessName ?? "", expert: dispatch.expertName ?? "", schedule: schedule,
                                                        deadline: deadline, reason: reason, copyToInstitution: copy)
            }
            notices.append(WebMail.row(.deskNotice, to: address, message,
                                       dedupe: "outside:\(id.apiString):\(UUID().uuidString.lowercased())", req: req))
        }
        do {
            try await OutsideProgramme.decide(decision, dispatchID: id, notices: notices, by: principal.actor, on: req.db,
                                              key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        } catch OutsideProgramme.Problem.notProposed {
            throw APIError(.conflict, code: "already_decided", reason: "この派遣は既に事業対象外と確定しています。")
        }
        return decision
    }
}
