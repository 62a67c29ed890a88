import Fluent
import HakenCore
import HakenStore
import Leaf
import Vapor

/// The front page: what HakenDesk is, today as the secretariat reads it, and how to report.
/// Public, so it shows no data of the programme (not even counts).
enum HomeController {
    struct Context: Encodable {
        var today: String
        var todayEra: String
        var fiscalYear: String
        var officeStatus: String
    }

    static func index(req: Request) async throws -> Response {
        let now = req.application.hakenClock.tokyoNow
        let fiscalYear = FiscalYear(containing: now.date)
        let open = BusinessCalendar.isOpen(at: now)
        let closedReason = BusinessCalendar.closedReason(now.date)
        let status = open ? "受付中（平日 9:00〜17:00）"
            : "時間外" + (closedReason.map { "（\($0)）" } ?? "（受付は平日 9:00〜17:00）")
        let context = Context(
            today: JapaneseDateFormat.full(now.date),
            todayEra: JapaneseEra.format(now.date) ?? "",
            fiscalYear: "\(fiscalYear.label)（\(fiscalYear.eraLabel)）",
            officeStatus: status
        )
        return try await req.page("index", title: "トップ", context)
    }
}
