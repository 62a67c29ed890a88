import Fluent
import Foundation
import HakenCore
import HakenImage
import HakenMail
import HakenStore
import Vapor

/// DAY-5: the photos waiting for their check, and the check.
extension DeskAPIController {
    struct PhotoItem: Content {
        var dispatchId: String
        var business: String
        var expert: String
        var date: String
        var status: String
        var trust: String
        var receivedAt: Date?
    }

    static func photos(req: Request) async throws -> Response {
        try req.authorize(.manage, .secretariatDesk)
        let paging = try Paging.from(req, defaultPer: 50, maxPer: 500)
        let total = try await PhotoReview.count(on: req.db)
        let items = try await PhotoReview.waiting(offset: paging.offset, limit: paging.per, on: req.db).map {
            PhotoItem(dispatchId: $0.dispatch.id.apiString, business: $0.dispatch.businessName ?? "", expert: $0.dispatch.expertName ?? "",
                      date: $0.dispatch.date, status: $0.status.rawValue, trust: $0.trust.rawValue, receivedAt: $0.receivedAt)
        }
        return try await Paging.response(items, total: total, for: req)
    }

    struct Checked: Content {
        var dispatchId: String
        var status: String
        var note: String
    }

    static func checkPhoto(req: Request) async throws -> Checked {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(PhotoDeskActions.CheckInput.self)
        let detail = try await PhotoDeskActions.detail(req, id: req.parameters.get("id"))
        let outcome = try await PhotoDeskActions.check(input, detail: detail, principal: principal, req: req)
        return Checked(dispatchId: detail.dispatch.id.apiString, status: outcome.status.rawValue, note: outcome.note)
    }
}
