import Foundation
import HakenCore
import HakenStore
import Vapor

/// `/desk/dashboard?year=2019`: the fiscal year at a glance (#11) — dispatches by state,
/// institution and month, outstanding items by kind, days from support to payable — with
/// charts drawn on the server and the same numbers in tables.
enum DashboardController {
    struct Row: Encodable {
        var label: String
        var count: Int
        var complete: Int
    }

    struct Chart: Encodable {
        var id: String
        var title: String
        var svg: String
        @OmitEmpty var rows: [Row]
        var showComplete: Bool
    }

    struct YearOption: Encodable {
        var value: Int
        var label: String
        var selected: Bool
    }

    struct Page: Encodable {
        var year: String
        var total: Int
        var median: String
        var charts: [Chart]
        var years: [YearOption]
    }

    static func summary(_ req: Request, year: FiscalYear) async throws -> YearSummary {
        var items: [YearSummary.Item] = []
        var offset = 0
        while true {
            let rows = try await DispatchListing.inYear(year, offset: offset, limit: 2000, on: req.db)
            if rows.isEmpty { break }
            offset += rows.count
            let records = try await DispatchRecords.records(for: rows, on: req.db)
            for row in rows {
                if let facts = records[row.id]?.facts { items.append(.init(facts: facts, institution: row.institutionName ?? "")) }
            }
        }
        return YearSummary(year: year, items: items, today: req.application.hakenClock.today)
    }

    static func year(_ req: Request) throws -> FiscalYear {
        let current = FiscalYear(containing: req.application.hakenClock.today)
        guard let text = req.query[String.self, at: "year"], !text.isEmpty else { return current }
        guard let value = Int(text), (1900...2199).contains(value) else {
            throw APIError.field("year", code: "out_of_range", message: "year は 2019 のような年度の開始年で指定してください。", status: .badRequest)
        }
        return FiscalYear(startYear: value)
    }

    static func show(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let year = try year(req)
        let summary = try await summary(req, year: year)
        func chart(_ id: String, _ title: String, _ counts: [YearSummary.Count], columns: Bool = false, complete: Bool = false) -> Chart {
            let bars = counts.map { SVGChart.Bar(label: $0.label, value: $0.count) }
            return Chart(id: id, title: title,
                         svg: columns ? SVGChart.columns(bars, title: title, id: id) : SVGChart.bars(bars, title: title, id: id),
                         rows: counts.map { Row(label: $0.label, count: $0.count, complete: $0.complete) }, showComplete: complete)
        }
        let current = FiscalYear(containing: req.application.hakenClock.today).startYear
        let page = Page(
            year: "\(year.label)（\(year.eraLabel)）", total: summary.total,
            median: summary.medianDaysToPayable.map { "\($0)日" } ?? "—",
            charts: [
                chart("by-state", "状況別の派遣件数", summary.byState),
                chart("by-month", "月別の派遣件数（4月〜3月）", summary.byMonth, columns: true),
                chart("by-institution", "支援機関別の派遣件数", summary.byInstitution, complete: true),
                chart("outstanding", "未了の項目（件数）", summary.outstanding),
                chart("days", "支援から支払可能までの日数（完了した派遣）", summary.daysToPayable),
            ],
            years: (current - 5...current + 1).reversed().map { YearOption(value: $0, label: FiscalYear(startYear: $0).label, selected: $0 == year.startYear) })
        return try await req.page("desk-dashboard", title: "年度の概況", page)
    }

    struct Summary: Content {
        var fiscalYear: Int
        var total: Int
        var medianDaysToPayable: Int?
        var byState: [Item]
        var byInstitution: [Item]
        var byMonth: [Item]
        var outstanding: [Item]
        var daysToPayable: [Item]

        struct Item: Content {
            var label: String
            var count: Int
            var complete: Int?
        }
    }

    /// `GET /api/v1/desk/dashboard?year=2019`: the same numbers as JSON.
    static func api(req: Request) async throws -> Summary {
        try req.authorize(.manage, .secretariatDesk)
        let summary = try await summary(req, year: try year(req))
        func items(_ counts: [YearSummary.Count], complete: Bool = false) -> [Summary.Item] {
            counts.map { Summary.Item(label: $0.label, count: $0.count, complete: complete ? $0.complete : nil) }
        }
        return Summary(fiscalYear: summary.year.startYear, total: summary.total, medianDaysToPayable: summary.medianDaysToPayable,
                       byState: items(summary.byState), byInstitution: items(summary.byInstitution, complete: true), byMonth: items(summary.byMonth),
                       outstanding: items(summary.outstanding), daysToPayable: items(summary.daysToPayable))
    }
}
