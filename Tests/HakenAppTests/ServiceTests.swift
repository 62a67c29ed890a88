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
            let first = try await DemoData.load(on: app.db, today: today, now: Date(), key: app.haken.auditKey)
            let second = try await DemoData.load(on: app.db, today: today, now: Date(), key: app.haken.auditKey)
            #expect(first.created && !second.created)
            #expect(second.dispatches == 7)
            let list = try await app.call(.GET, "api/v1/dispatches?per=50")
            let states = Set((list["items"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String })
            #expect(states == ["scheduled", "collecting", "underReview", "declarationRequired", "awaitingExpertReport",
                               "outsideProgramme", "complete"])
            let basona = try await BusinessModel.query(on: app.db).filter(\.$name == "ばそな建設").first()
            #expect(basona?.mobileEmail == "basona.genba@docomo.ne.jp")
            #expect(basona?.mobileVerifiedAt != nil)   // DEC-10: the demo's site phone is verified
            // NOTE-3: seven consultations, seven dispatches and each demo evidence item (16) are in the chain.
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "evidence.record").count() == 16)
            #expect(try await DispatchModel.query(on: app.db).filter(\.$consultation.$id == nil).count() == 0)   // CON-1
            #expect(try await AuditLog.verify(on: app.db, key: app.haken.auditKey) == .intact(entries: 30))
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

@Suite struct OpenAPITests {
    /// Every API route the application registers is described in openapi.yaml, and the other way round.
    @Test func openAPIDescribesEveryRoute() async throws {
        let specURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../openapi.yaml").standardizedFileURL
        let spec = try String(contentsOf: specURL, encoding: .utf8)
        var documented: Set<String> = []
        var currentPath: String?
        for line in spec.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /") && line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if let path = currentPath, let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" }) {
                documented.insert("\(method.uppercased()) \(path)")
            } else if !line.hasPrefix(" ") && !line.isEmpty {
                currentPath = nil
            }
        }
        try await TestDatabase.sqlite.withHakenApp { app in
            let registered = Set(app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                return path == "/" ? nil : "\(route.method.rawValue) \(path)"
            })
            #expect(registered == documented)
        }
    }
}
