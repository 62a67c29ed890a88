import Foundation
import HakenCore
import HakenStore
import Vapor

/// `/desk/disputes` (AFT-2, DEC-2): certifications whose times the business disputed; each
/// settled with the reason after asking both parties.
enum DisputePageController {
    struct Row: Encodable {
        var id: String
        var label: String
        var note: String
        var received: String
    }

    static func list(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let rows = try await Disputes.waiting(offset: 0, limit: 200, on: req.db).map { item in
            Row(id: item.dispatch.id.apiString,
                label: "\(CivilDate(iso: item.dispatch.date).map(JapaneseDateFormat.monthDayWeekday) ?? item.dispatch.date) \(item.dispatch.businessName ?? "") / \(item.dispatch.expertName ?? "")",
                note: item.note ?? "", received: DeskLinks.time(item.receivedAt))
        }
        struct Page: Encodable { @OmitEmpty var rows: [Row] }
        return try await req.page("desk-disputes", title: "従事証明の異議", Page(rows: rows))
    }

    static func decide(req: Request) async throws -> Response {
        _ = try req.signedIn()
        let principal = try req.authorize(.manage, .secretariatDesk)
        do {
            let draft = try await DisputeDeskActions.decide(try? req.content.get(String.self, at: "decision"),
                                                            reason: try? req.content.get(String.self, at: "reason"),
                                                            dispatchID: req.parameters.get("id"), principal: principal, req: req)
            return req.seeOther("/desk/disputes", flash: draft.status == .accepted ? "従事証明を受理しました。" : "従事証明を不受理にしました。")
        } catch let error as APIError {
            return req.seeOther("/desk/disputes", flash: error.reason)
        }
    }
}
