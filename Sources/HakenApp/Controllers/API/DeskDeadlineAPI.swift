import Fluent
import Foundation
import HakenCore
import HakenImage
import HakenMail
import HakenStore
import Vapor

/// NOTE-1, NOTE-2: escalations and outside-programme proposals, and the decision on one.
extension DeskAPIController {
    struct DeadlineItem: Content {
        var dispatchId: String
        var business: String
        var expert: String
        var date: String
        var duty: String?
        var deadline: String
        var outstanding: [String]?
    }

    struct DeadlineLists: Content {
        var escalations: [DeadlineItem]
        var proposals: [DeadlineItem]
    }

    /// NOTE-1, NOTE-2: duties past their deadline, and dispatches proposed as outside the programme.
    static func deadlines(req: Request) async throws -> DeadlineLists {
        try req.authorize(.manage, .secretariatDesk)
        let escalations = try await Reminders.escalations(offset: 0, limit: 500, on: req.db).map {
            DeadlineItem(dispatchId: $0.dispatch.id.apiString, business: $0.dispatch.businessName ?? "", expert: $0.dispatch.expertName ?? "",
                         date: $0.dispatch.date, duty: $0.kind.rawValue, deadline: $0.deadline, outstanding: nil)
        }
        let proposed = try await OutsideProgramme.proposed(offset: 0, limit: 500, on: req.db)
        let records = try await DispatchRecords.records(for: proposed, on: req.db)
        let today = req.application.hakenClock.today
        let proposals = proposed.map { row in
            DeadlineItem(dispatchId: row.id.apiString, business: row.businessName ?? "", expert: row.expertName ?? "", date: row.date, duty: nil,
                         deadline: row.deadline,
                         outstanding: records[row.id].map { DispatchRules.assess($0.facts, today: today).outstanding.map(\.rawValue) } ?? [])
        }
        return DeadlineLists(escalations: escalations, proposals: proposals)
    }

    struct OutsideDecided: Content {
        var dispatchId: String
        var decision: String
        var deadline: String?
    }

    static func decideOutside(req: Request) async throws -> OutsideDecided {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(OutsideDeskActions.DecisionInput.self)
        let decision = try await OutsideDeskActions.decide(input, dispatchID: req.parameters.get("id"), principal: principal, req: req)
        switch decision {
        case .confirm: return OutsideDecided(dispatchId: req.parameters.get("id") ?? "", decision: "confirm", deadline: nil)
        case .extend(let day, _): return OutsideDecided(dispatchId: req.parameters.get("id") ?? "", decision: "extend", deadline: day.iso)
        }
    }
}
