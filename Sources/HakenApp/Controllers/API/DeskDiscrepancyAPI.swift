import Foundation
import HakenCore
import HakenStore
import Vapor

/// #12, DEC-2: the discrepancy queue and its resolution, as JSON.
extension DeskAPIController {
    struct DiscrepancyItem: Content {
        var id: String
        var dispatchId: String
        var kind: String
        var reason: String
        var mailId: String?
        var foundAt: Date
        var resolvedAt: Date?
        var resolvedBy: String?
        var resolution: String?

        init(_ row: Discrepancies.Row) {
            id = row.id.apiString
            dispatchId = row.dispatchID.apiString
            kind = row.kind.rawValue
            reason = row.reason
            mailId = row.mailID?.apiString
            foundAt = row.foundAt
            resolvedAt = row.resolvedAt
            resolvedBy = row.resolvedBy
            resolution = row.resolution
        }
    }

    static func discrepancies(req: Request) async throws -> Response {
        try req.authorize(.manage, .secretariatDesk)
        let paging = try Paging.from(req, defaultPer: 100, maxPer: 500)
        let total = try await Discrepancies.openCount(on: req.db)
        let rows = try await Discrepancies.open(offset: paging.offset, limit: paging.per, on: req.db)
        return try await Paging.response(rows.map(DiscrepancyItem.init), total: total, for: req)
    }

    struct ResolveInput: Content {
        var note: String?
    }

    static func resolveDiscrepancy(req: Request) async throws -> DiscrepancyItem {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(ResolveInput.self)
        return DiscrepancyItem(try await DiscrepancyDeskActions.resolve(req.parameters.get("id"), note: input.note, principal: principal, req: req))
    }
}
