import Fluent
import Foundation
import HakenCore
import HakenImage
import HakenMail
import HakenStore
import Vapor

/// AFT-2, DEC-2: a disputed certification settled.
extension DeskAPIController {
    struct DisputeInput: Content {
        var decision: String?
        var reason: String?
    }

    static func decideDispute(req: Request) async throws -> Checked {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(DisputeInput.self)
        let draft = try await DisputeDeskActions.decide(input.decision, reason: input.reason, dispatchID: req.parameters.get("id"),
                                                        principal: principal, req: req)
        return Checked(dispatchId: req.parameters.get("id") ?? "", status: draft.status.rawValue, note: draft.note)
    }
}
