import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor
import VaporTesting

@Suite struct ServiceTests {
    @Test(arguments: TestDatabase.all)
    func healthAndMetricsAnswer(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let health = try await app.call(.GET, "healthz", token: nil)
            #expect(health.status == .ok)
            #expect(health["status"] as? String == "ok")
            let metrics = try await app.testing().sendRequest(.GET, "metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers.contentType?.subType == "plain")
            #expect(metrics.body.string.contains("http_requests_total"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func demoDataLoadsOnceWithEveryState(database: TestDatabase) async throws {
        try await database.withHakenApp(now: Date(timeIntervalSince1970: 1_795_000_000)) { app in
            let today = app.hakenClock.today
            let first = try await DemoData.load(on: app.db, today: today)
            let second = try await DemoData.load(on: app.db, today: today)
            #expect(first.created && !second.created)
            #expect(second.dispatches == 7)
            let list = try await app.call(.GET, "api/v1/dispatches?per=50")
            let states = Set((list["items"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String })
            #expect(states == ["scheduled", "collecting", "underReview", "declarationRequired", "awaitingExpertReport",
                               "outsideProgramme", "complete"])
            let basona = try await BusinessModel.query(on: app.db).filter(\.$name == "ばそな建設").first()
            #expect(basona?.mobileEmail == "basona.genba@docomo.ne.jp")
            #expect(try await AuditLog.verify(on: app.db) == .intact(entries: 7))
        }
    }

    @Test(arguments: TestDatabase.all)
    func frontPageIsJapanese(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let page = try await app.testing().sendRequest(.GET, "/")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("<html lang=\"ja\">"))
            #expect(html.contains("2019年8月22日(木)（令和元年8月22日）"))
            #expect(html.contains("2019年度（令和元年度）"))
            #expect(html.contains("受付中"))
            #expect(page.headers.first(name: "X-Content-Type-Options") == "nosniff")
        }
    }
}
