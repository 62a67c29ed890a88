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
            // Metrics are not for strangers, nor for a business's token; the secretariat reads them.
            #expect(try await app.testing().sendRequest(.GET, "metrics").status == .unauthorized)
            let parties = try await app.seedParties()
            let business = try await APITokens.issue(role: .business, partyID: UUID(uuidString: parties.business), label: "b", on: app.db,
                                                     key: app.haken.auditKey)
            #expect(try await app.call(.GET, "metrics", token: business).status == .forbidden)
            let metrics = try await app.testing().sendRequest(.GET, "metrics") {
                $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken)
            }
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
            #expect(second.dispatches == 8)
            let list = try await app.call(.GET, "api/v1/dispatches?per=50")
            let states = Set((list["items"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String })
            #expect(states == ["scheduled", "collecting", "underReview", "declarationRequired", "awaitingExpertReport",
                               "outsideProposed", "outsideProgramme", "complete"])
            let basona = try await BusinessModel.query(on: app.db).filter(\.$name == "ばそな建設").first()
            #expect(basona?.mobileEmail == "basona.genba@docomo.ne.jp")
            #expect(basona?.mobileVerifiedAt != nil)   // DEC-10: the demo's site phone is verified
            // NOTE-3: eight consultations, eight dispatches and each demo evidence item (20) are in the chain.
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "evidence.record").count() == 20)
            // DAY-5: one demo photo waits for the secretariat's check.
            #expect(try await PhotoReview.count(on: app.db) == 1)
            #expect(try await DispatchModel.query(on: app.db).filter(\.$consultation.$id == nil).count() == 0)   // CON-1
            #expect(try await AuditLog.verify(on: app.db, key: app.haken.auditKey) == .intact(entries: 37))
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
            #expect(html.range(of: #"[0-9]+ 件"#, options: .regularExpression) == nil && !html.contains("登録状況"))   // no data on a public page
            #expect(page.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("'unsafe-inline'") == false)  // no inline style or script
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self';") == true)
        }
    }
}

@Suite struct OpenAPITests {
    /// The contract covers the JSON API and the service endpoints; pages (HTML forms) are
    /// covered by the page, matrix and browser tests instead.
    static func isAPI(_ route: String) -> Bool {
        route.contains(" /api/") || route.hasSuffix(" /healthz") || route.hasSuffix(" /metrics") || route.contains(" /mobile/verify/")
    }

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
            }).filter(Self.isAPI)
            #expect(registered == documented)
        }
    }

    /// Bodies the API refuses get the documented Japanese error shape: too large (413, once a
    /// 500), empty (not an English 422), a method the path does not have (405 with Allow),
    /// an unknown path (404); and every answer carries the security headers.
    @Test(arguments: TestDatabase.all)
    func refusalsHaveTheDocumentedShape(database: TestDatabase) async throws {
        var mail = MailSettings()
        mail.maxMessageSize = 1024 * 1024
        try await database.withHakenApp(mail: mail) { app in
            let huge = try await app.call(.POST, "api/v1/inbound-mail", rawBody: String(repeating: "x", count: 2 * 1024 * 1024))
            #expect(huge.status == .payloadTooLarge)
            #expect(huge.code == "payload_too_large")
            let empty = try await app.call(.POST, "api/v1/experts", rawBody: "")
            #expect([.badRequest, .unprocessableEntity].contains(empty.status))
            #expect((empty["reason"] as? String)?.unicodeScalars.contains { $0.value > 0x3000 } == true)   // Japanese
            #expect(empty["error"] as? Bool == true)
            for method in [HTTPMethod.PUT, .DELETE, .PATCH, .TRACE, .RAW(value: "QUERY")] {
                let response = try await app.testing().sendRequest(method, "api/v1/experts") {
                    $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken)
                }
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers.first(name: .allow) == "POST")
                #expect(response.headers.first(name: "Content-Security-Policy") != nil)
            }
            let missing = try await app.call(.GET, "api/v1/nothing-here")
            #expect(missing.status == .notFound)
            #expect(missing.code == "not_found")
        }
    }

    /// Every Location a create answers can be read back by whom it concerns, and by nobody else.
    @Test(arguments: TestDatabase.all)
    func locationsCanBeReadBackWithPermission(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let key = app.haken.auditKey
            let business = try await APITokens.issue(role: .business, partyID: UUID(uuidString: parties.business), label: "b", on: app.db, key: key)
            let institution = try await APITokens.issue(role: .institution, partyID: UUID(uuidString: parties.institution), label: "i", on: app.db, key: key)
            let expert = try await APITokens.issue(role: .expert, partyID: UUID(uuidString: parties.expert), label: "e", on: app.db, key: key)
            let created = try await app.call(.POST, "api/v1/experts", json: ["name": "専門家三郎", "email": "saburo@example.jp"])
            let location = try #require(created.headers.first(name: .location))
            #expect(created.id == created.id.lowercased() && location.hasSuffix("/" + created.id))   // one UUID spelling
            #expect(try await app.call(.GET, String(location.dropFirst())).status == .ok)
            let expectations: [(String, String, HTTPStatus)] = [
                ("api/v1/businesses/\(parties.business)", business, .ok), ("api/v1/businesses/\(parties.business)", institution, .ok),
                ("api/v1/businesses/\(parties.business)", expert, .forbidden),
                ("api/v1/institutions/\(parties.institution)", institution, .ok), ("api/v1/institutions/\(parties.institution)", business, .forbidden),
                ("api/v1/experts/\(parties.expert)", expert, .ok), ("api/v1/experts/\(parties.expert)", institution, .ok),
                ("api/v1/experts/\(parties.expert)", business, .forbidden),
                ("api/v1/consultations/\(parties.consultation)", institution, .ok), ("api/v1/consultations/\(parties.consultation)", business, .ok),
                ("api/v1/consultations/\(parties.consultation)", expert, .forbidden),
                ("api/v1/consultations/\(UUID().uuidString)", expert, .forbidden),
                ("api/v1/businesses/\(UUID().uuidString)", adminToken, .notFound),
            ]
            for (path, token, status) in expectations {
                #expect(try await app.call(.GET, path, token: token).status == status, "\(path)")
            }
            #expect(try await app.call(.GET, "api/v1/businesses/\(parties.business)")["mobileVerified"] as? Bool == false)
        }
    }
}
