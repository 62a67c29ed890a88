import Foundation
import HakenCore
import HakenStore
import Vapor

/// `/desk/discrepancies` (#12, DEC-2): what a dispatch's reports say against each other, oldest
/// first; each resolved with a note of what the person found.
enum DiscrepancyPageController {
    struct Row: Encodable {
        var id: String
        var dispatch: String
        var label: String
        var kind: String
        var reason: String
        var found: String
        var mail: String?
        /// #12: a photo finding opens the photo screen (the pair side by side, the EXIF).
        var photo: String?
    }

    static func row(_ item: Discrepancies.Row) -> Row {
        Row(id: item.id.apiString, dispatch: item.dispatchID.apiString,
            label: "\(item.date.flatMap(CivilDate.init(iso:)).map(JapaneseDateFormat.monthDayWeekday) ?? item.date ?? "") \(item.businessName ?? "") / \(item.expertName ?? "")",
            kind: item.kind.japaneseName, reason: item.reason, found: DeskLinks.time(item.foundAt),
            mail: item.mailID.map { "/desk/mail/\($0.apiString)" },
            photo: [.photoTaken, .photoReused].contains(item.kind) ? "/desk/photos/\(item.dispatchID.apiString)" : nil)
    }

    static func list(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let rows = try await Discrepancies.open(offset: 0, limit: 200, on: req.db).map(row)
        struct Page: Encodable { @OmitEmpty var rows: [Row]; var total: Int }
        return try await req.page("desk-discrepancies", title: "報告の食い違い",
                                  Page(rows: rows, total: try await Discrepancies.openCount(on: req.db)))
    }

    static func resolve(req: Request) async throws -> Response {
        _ = try req.signedIn()
        let principal = try req.authorize(.manage, .secretariatDesk)
        do {
            _ = try await DiscrepancyDeskActions.resolve(req.parameters.get("id"), note: try? req.content.get(String.self, at: "note"),
                                                         principal: principal, req: req)
            return req.seeOther("/desk/discrepancies", flash: "確認済みにしました。")
        } catch let error as APIError {
            return req.seeOther("/desk/discrepancies", flash: error.reason)
        }
    }
}
