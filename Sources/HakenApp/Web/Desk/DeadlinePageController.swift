import Foundation
import HakenCore
import HakenStore
import Vapor

/// `/desk/deadlines` (NOTE-1, NOTE-2): the duties past their deadline, and the dispatches
/// proposed as outside the programme — each confirmed with a reason, or given a new deadline.
enum DeadlinePageController {
    struct Escalation: Encodable {
        var id: String
        var label: String
        var duty: String
        var deadline: String
    }

    struct Proposal: Encodable {
        var id: String
        var label: String
        var deadline: String
        var outstanding: String
    }

    struct Page: Encodable {
        @OmitEmpty var escalations: [Escalation]
        @OmitEmpty var proposals: [Proposal]
    }

    static func label(_ row: DispatchRow) -> String {
        "\(CivilDate(iso: row.date).map(JapaneseDateFormat.monthDayWeekday) ?? row.date) \(row.businessName ?? "") / \(row.expertName ?? "")"
    }

    static func page(_ req: Request) async throws -> Page {
        let escalations = try await Reminders.escalations(offset: 0, limit: 200, on: req.db).map { item in
            Escalation(id: item.dispatch.id.apiString, label: label(item.dispatch), duty: item.kind.japaneseName,
                       deadline: CivilDate(iso: item.deadline).map(JapaneseDateFormat.monthDayWeekday) ?? item.deadline)
        }
        let proposed = try await OutsideProgramme.proposed(offset: 0, limit: 200, on: req.db)
        let records = try await DispatchRecords.records(for: proposed, on: req.db)
        let today = req.application.hakenClock.today
        let proposals = proposed.map { row in
            let outstanding = records[row.id].map { DispatchRules.assess($0.facts, today: today).outstanding.map(\.japaneseName).joined(separator: "・") } ?? ""
            return Proposal(id: row.id.apiString, label: label(row), deadline: CivilDate(iso: row.deadline).map(JapaneseDateFormat.monthDayWeekday) ?? row.deadline,
                            outstanding: outstanding)
        }
        return Page(escalations: escalations, proposals: proposals)
    }

    static func show(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        return try await req.page("desk-deadlines", title: "期限の管理", try await page(req))
    }

    static func decide(req: Request) async throws -> Response {
        _ = try req.signedIn()
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = OutsideDeskActions.DecisionInput(decision: try? req.content.get(String.self, at: "decision"),
                                                     reason: try? req.content.get(String.self, at: "reason"),
                                                     deadline: try? req.content.get(String.self, at: "deadline"))
        do {
            let decision = try await OutsideDeskActions.decide(input, dispatchID: req.parameters.get("id"), principal: principal, req: req)
            switch decision {
            case .confirm: return req.seeOther("/desk/deadlines", flash: "事業対象外と確定し、事業者と支援機関に通知しました。")
            case .extend(let day, _):
                return req.seeOther("/desk/deadlines", flash: "最終期限を\(JapaneseDateFormat.monthDayWeekday(day))まで延長し、事業者と支援機関に通知しました。")
            }
        } catch let failure as ValidationFailure {
            return req.seeOther("/desk/deadlines", flash: failure.errors.map(\.message).joined(separator: " "))
        } catch let error as APIError {
            return req.seeOther("/desk/deadlines", flash: error.reason)
        }
    }
}
