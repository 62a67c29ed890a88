import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// The year at a glance (#11): server-drawn SVG with the numbers beside it, and the same as JSON.
@Suite struct DashboardTests {
    @Test("Dashboard: the demo's year as SVG charts with tables, and as JSON", arguments: TestDatabase.all)
    func dashboard(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let today = app.hakenClock.today
            _ = try await DemoData.load(on: app.db, today: today, now: Date(), key: app.haken.auditKey)
            let year = FiscalYear(containing: today)
            let json = try await app.call(.GET, "api/v1/desk/dashboard?year=\(year.startYear)")
            let total = try #require(json["total"] as? Int)
            #expect(total >= 4)
            let months = json["byMonth"] as? [[String: Any]] ?? []
            #expect(months.count == 12 && months.first?["label"] as? String == "4月")
            #expect((json["byState"] as? [[String: Any]])?.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == total)
            let desk = try await WebFixtures.signedIn(app, "dash@secretariat.example.jp", role: .secretariat, party: nil)
            let page = try await desk.get("/desk/dashboard?year=\(year.startYear)")
            #expect(page.status == .ok)
            #expect(page.html.contains("<svg") && page.html.contains("role=\"img\"") && page.html.contains("<title id=\"by-state-title\">"))
            #expect(page.html.contains("派遣 \(total)件"))
            #expect(try await app.call(.GET, "api/v1/desk/dashboard?year=abc").status == .badRequest)
        }
    }
}
